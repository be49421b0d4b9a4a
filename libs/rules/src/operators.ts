/**
 * The operator set: json-logic-js 2.0.5's, plus three time operators of our own. A rule
 * object with one key is an operation (json-logic-js's is_logic); any other object is a
 * literal that json-logic-js returns unevaluated, which the validator refuses.
 */
export const CLASSIC_OPERATORS = [
  'var',
  'missing',
  'missing_some',
  'if',
  '?:',
  '==',
  '===',
  '!=',
  '!==',
  '!',
  '!!',
  'or',
  'and',
  '>',
  '>=',
  '<',
  '<=',
  'max',
  'min',
  '+',
  '-',
  '*',
  '/',
  '%',
  'map',
  'filter',
  'reduce',
  'all',
  'none',
  'some',
  'merge',
  'in',
  'cat',
  'substr',
  'log',
] as const;
export const TIME_OPERATORS = ['now', 'timestamp', 'days_since'] as const;

export type ClassicOperator = (typeof CLASSIC_OPERATORS)[number];
export type TimeOperator = (typeof TIME_OPERATORS)[number];
export type OperatorName = ClassicOperator | TimeOperator;

export const ITERATORS = ['map', 'filter', 'reduce', 'all', 'none', 'some'] as const;
export type IteratorOperator = (typeof ITERATORS)[number];

const classic: ReadonlySet<string> = new Set(CLASSIC_OPERATORS);
const time: ReadonlySet<string> = new Set(TIME_OPERATORS);

export function isClassicOperator(op: string): op is ClassicOperator {
  return classic.has(op);
}

export function isTimeOperator(op: string): op is TimeOperator {
  return time.has(op);
}

export function isOperatorName(op: string): op is OperatorName {
  return classic.has(op) || time.has(op);
}

export function isIterator(op: OperatorName): op is IteratorOperator {
  return (ITERATORS as readonly string[]).includes(op);
}

/** Argument counts the validator accepts; json-logic-js itself takes any count. */
export const ARITY: Readonly<Record<OperatorName, readonly [min: number, max: number]>> = {
  var: [0, 2],
  missing: [0, Infinity],
  missing_some: [2, 2],
  if: [0, Infinity],
  '?:': [0, Infinity],
  '==': [2, 2],
  '===': [2, 2],
  '!=': [2, 2],
  '!==': [2, 2],
  '!': [1, 1],
  '!!': [1, 1],
  or: [1, Infinity],
  and: [1, Infinity],
  '>': [2, 2],
  '>=': [2, 2],
  '<': [2, 3],
  '<=': [2, 3],
  max: [1, Infinity],
  min: [1, Infinity],
  '+': [1, Infinity],
  '-': [1, 2],
  '*': [1, Infinity],
  '/': [2, 2],
  '%': [2, 2],
  map: [2, 2],
  filter: [2, 2],
  reduce: [2, 3],
  all: [2, 2],
  none: [2, 2],
  some: [2, 2],
  merge: [0, Infinity],
  in: [2, 2],
  cat: [0, Infinity],
  substr: [2, 3],
  log: [1, 1],
  now: [0, 0],
  timestamp: [1, 1],
  days_since: [1, 1],
};

/** json-logic-js's is_logic: a non-array object with exactly one own enumerable key. */
export function isOperation(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1
  );
}

export interface OperationParts {
  readonly op: string;
  /** The arguments as written: `{"var": "a"}` has the one argument "a". */
  readonly args: readonly unknown[];
  /** True when the arguments were not written as an array. */
  readonly shorthand: boolean;
}

export function operationParts(operation: Record<string, unknown>): OperationParts {
  const op = Object.keys(operation)[0] as string;
  const raw = operation[op];

  return Array.isArray(raw)
    ? { op, args: raw, shorthand: false }
    : { op, args: [raw], shorthand: true };
}

/** Path segments that would reach an object's prototype machinery. */
export const UNSAFE_SEGMENTS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

export function unsafeSegment(path: string): string | undefined {
  return path.split('.').find((segment) => UNSAFE_SEGMENTS.has(segment));
}
