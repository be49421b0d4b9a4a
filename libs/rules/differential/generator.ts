import { type JsonValue } from '../src/json-value';

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same pairs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function chance(random: Random, p: number): boolean {
  return random() < p;
}

function times<T>(random: Random, min: number, max: number, make: () => T): T[] {
  const count = min + Math.floor(random() * (max - min + 1));

  return Array.from({ length: count }, make);
}

// Values where JSONLogic's coercions differ: numbers as strings, blanks, NaN-makers.
const SCALARS: readonly JsonValue[] = [
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  2,
  12,
  3.5,
  -0.5,
  100,
  '12',
  '',
  'abc',
  '0',
  'a',
  'b',
  ' 7 ',
  '1e3',
  'true',
  'null',
  'apple',
];
const ARRAYS: readonly JsonValue[] = [
  [],
  [1, 2, 3],
  ['a', 'b'],
  [0],
  [''],
  [null],
  [[1], [2]],
  ['12', 3],
  ['apple', 'banana'],
];
const OBJECTS: readonly JsonValue[] = [{}, { x: 1 }, { a: { b: 2 } }, { '': 1 }, { qty: '2' }];

const KEYS = [
  'a',
  'b',
  'n',
  's',
  'tags',
  'items',
  'nested',
  'flag',
  'score',
  'name',
  'list',
  'obj',
  '0',
  '1',
  'x.y',
  'current',
  'accumulator',
  'qty',
] as const;

// Paths that exist in some profiles and not in others, through objects, arrays and
// strings. No inherited names (toString, ...): reading those is where we deviate.
const PATHS: readonly (string | number)[] = [
  ...KEYS,
  'nested.x',
  'nested.y',
  'nested.y.z',
  'nested.list.0',
  'tags.0',
  'tags.1',
  'tags.length',
  's.0',
  's.length',
  'items.0.qty',
  'items.1.price',
  'a.b',
  'missing',
  'missing.deeper',
  'x',
  'y',
  0,
  1,
  1.5,
  '',
];

function scalar(random: Random): JsonValue {
  return pick(random, SCALARS);
}

function value(random: Random, depth: number): JsonValue {
  const roll = random();
  if (depth <= 0 || roll < 0.55) return scalar(random);
  if (roll < 0.7) return structuredClone(pick(random, ARRAYS));
  if (roll < 0.8) return times(random, 0, 4, () => value(random, depth - 1));
  if (roll < 0.9) return structuredClone(pick(random, OBJECTS));

  return object(random, depth - 1);
}

function object(random: Random, depth: number): JsonValue {
  const result: Record<string, JsonValue> = {};
  for (const key of KEYS) if (chance(random, 0.2)) result[key] = value(random, depth);

  return result;
}

function item(random: Random): JsonValue {
  const result: Record<string, JsonValue> = {};
  if (chance(random, 0.8)) result.qty = pick(random, [0, 1, 2, 5, '3', '', null, 'x']);
  if (chance(random, 0.7)) result.price = pick(random, [1.5, 10, '4', null, -2]);
  if (chance(random, 0.3)) result.tags = structuredClone(pick(random, ARRAYS));

  return result;
}

/** A profile: mostly objects with some fields missing, sometimes not an object at all. */
export function generateProfile(random: Random): JsonValue {
  const roll = random();
  if (roll < 0.05) return scalar(random);
  if (roll < 0.1) return times(random, 0, 4, () => value(random, 1));
  const profile: Record<string, JsonValue> = {};
  for (const key of KEYS) if (chance(random, 0.55)) profile[key] = value(random, 2);
  if (chance(random, 0.6)) profile.items = times(random, 0, 4, () => item(random));
  if (chance(random, 0.5)) {
    profile.nested = { x: value(random, 1), y: { z: scalar(random) }, list: value(random, 1) };
  }
  if (chance(random, 0.4)) profile.tags = structuredClone(pick(random, [...ARRAYS, 'a', '']));

  return profile;
}

const COMPARISONS = ['==', '===', '!=', '!==', '>', '>=', '<', '<='] as const;
const ARITHMETIC = ['+', '-', '*', '/', '%', 'max', 'min'] as const;
const ITERATORS = ['map', 'filter', 'reduce', 'all', 'none', 'some'] as const;

function path(random: Random): JsonValue {
  return pick(random, PATHS);
}

/** Mostly the usual argument counts, now and then one more or one fewer. */
function count(random: Random, usual: number): number {
  const roll = random();
  if (roll < 0.08) return Math.max(0, usual - 1);
  if (roll < 0.16) return usual + 1;

  return usual;
}

function args(random: Random, n: number, make: () => JsonValue): JsonValue {
  const list = Array.from({ length: n }, make);
  // The one-argument shorthand, {"op": x} for {"op": [x]}.
  if (n === 1 && chance(random, 0.3) && !Array.isArray(list[0])) return list[0] as JsonValue;

  return list;
}

function variable(random: Random, depth: number): JsonValue {
  const roll = random();
  if (roll < 0.45) return { var: path(random) };
  if (roll < 0.6) return { var: [path(random)] };
  if (roll < 0.8) {
    const fallback =
      depth > 0 && chance(random, 0.3) ? expression(random, depth - 1) : scalar(random);

    return { var: [path(random), fallback] };
  }
  if (roll < 0.9) return pick(random, [{ var: '' }, { var: [] }, { var: null }]);

  return { var: [expression(random, Math.min(depth, 1))] };
}

/** Logic run per item: reads the item ("" or fields) or, in reduce, current/accumulator. */
function scoped(random: Random, depth: number): JsonValue {
  const read = (): JsonValue =>
    pick(random, [
      { var: '' },
      { var: 'qty' },
      { var: 'price' },
      { var: 'current' },
      { var: 'accumulator' },
      { var: 'current.qty' },
      { var: 'tags' },
      { var: ['qty', 0] },
    ]);
  const roll = random();
  if (roll < 0.3) return read();
  if (roll < 0.55) {
    return { [pick(random, COMPARISONS)]: [read(), pick(random, [0, 1, 2, '2', null, ''])] };
  }
  if (roll < 0.8) return { [pick(random, ['+', '*', '-', 'cat'])]: [read(), read()] };

  return expression(random, depth);
}

function collection(random: Random, depth: number): JsonValue {
  const roll = random();
  if (roll < 0.5)
    return { var: pick(random, ['items', 'tags', 'list', 'nested.list', 'a', 'missing']) };
  if (roll < 0.75) return structuredClone(pick(random, ARRAYS));
  if (roll < 0.85) return scalar(random);

  return expression(random, depth);
}

/** A random rule over every classic operator. */
export function expression(random: Random, depth: number): JsonValue {
  if (depth <= 0 || chance(random, 0.15)) {
    return chance(random, 0.5) ? variable(random, 0) : scalar(random);
  }
  const next = () => expression(random, depth - 1);
  const roll = random();
  if (roll < 0.14) return variable(random, depth);
  if (roll < 0.26) {
    const op = pick(random, COMPARISONS);
    const between = (op === '<' || op === '<=') && chance(random, 0.25);

    return { [op]: args(random, count(random, between ? 3 : 2), next) };
  }
  if (roll < 0.36) return { [pick(random, ['and', 'or'])]: times(random, 1, 4, next) };
  if (roll < 0.42) return { [pick(random, ['if', '?:'])]: times(random, 0, 6, next) };
  if (roll < 0.47) return { [pick(random, ['!', '!!'])]: args(random, count(random, 1), next) };
  if (roll < 0.57) {
    const op = pick(random, ARITHMETIC);

    return {
      [op]: args(random, count(random, op === '-' ? 1 + Math.floor(random() * 2) : 2), next),
    };
  }
  if (roll < 0.68) {
    const op = pick(random, ITERATORS);
    const list: JsonValue[] = [collection(random, depth - 1), scoped(random, depth - 1)];
    if (op === 'reduce' && chance(random, 0.7)) list.push(pick(random, [0, 1, '', null, []]));

    return { [op]: list };
  }
  if (roll < 0.76) {
    const haystack = chance(random, 0.5)
      ? structuredClone(pick(random, [...ARRAYS, 'apple pie', 'abc', '', null, 12]))
      : next();

    return { in: [next(), haystack] };
  }
  if (roll < 0.8) return { cat: times(random, 0, 3, next) };
  if (roll < 0.84) {
    const list: JsonValue[] = [next(), pick(random, [0, 1, -1, -3, 2, '1'])];
    if (chance(random, 0.6)) list.push(pick(random, [0, 1, 2, -1, -2, 10]));

    return { substr: list };
  }
  if (roll < 0.88)
    return { merge: times(random, 0, 3, () => (chance(random, 0.5) ? next() : value(random, 1))) };
  if (roll < 0.93) {
    const keys = (): JsonValue[] => times(random, 0, 3, () => pick(random, PATHS));
    const shape = random();
    if (shape < 0.5) return { missing: keys() };
    if (shape < 0.65) return { missing: pick(random, PATHS) };
    if (shape < 0.8) return { missing: [keys()] };

    return { missing_some: [pick(random, [0, 1, 2]), keys()] };
  }
  if (roll < 0.95) return { log: next() };

  return times(random, 1, 3, next);
}

export interface Pair {
  /** Counts the rules generated so far: pairs of one rule share it. */
  ruleIndex: number;
  rule: JsonValue;
  data: JsonValue;
}

/** Rules with several profiles each (a rule is compiled once, as in production). */
export function* pairs(seed: number, total: number, profilesPerRule = 8): Generator<Pair> {
  const random = seededRandom(seed);
  let made = 0;
  for (let ruleIndex = 0; made < total; ruleIndex++) {
    const rule = expression(random, 1 + Math.floor(random() * 4));
    for (let i = 0; i < profilesPerRule && made < total; i++, made++) {
      yield { ruleIndex, rule, data: generateProfile(random) };
    }
  }
}
