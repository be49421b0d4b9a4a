import { charge, isBudgetExceeded } from './evaluation-budget';
import { type EvaluationContext } from './evaluation-context';
import { isIterator, type OperatorName } from './operators';
import { compare, type ComparisonOperator, lessOrEqual, lessThan } from './semantics';
import { type OperationNode, reduceInitial, type RuleNode } from './rule-node';
import { MAX_INSTANT } from './time';
import { isTruthy } from './truthiness';

/*
 * When can time alone change a rule's truthiness for given data?
 *
 * Instants are whole milliseconds. changeAfter(node, t) is a lower bound of the first
 * instant after t at which the node's value differs from its value at t: exact where a
 * time-dependent side is monotone in time and compared with a fixed side (found by
 * bisection, evaluating the comparison itself), otherwise the earliest change of any
 * time-dependent argument. nextChange() walks those candidates, evaluating the whole rule
 * at each, and returns the first at which its truthiness really differs; between two
 * candidates nothing can change. A budget bounds the walk for rules (`%` of now, say)
 * that would step through every day or millisecond; past it, the candidate reached is
 * returned, which is earlier than the real change, never later.
 *
 * Every evaluation along the way is charged to the evaluation budget (its node's size,
 * and what the node charges itself). When the budget runs out, the walk returns the last
 * candidate it settled, and throws the budget_exceeded EvaluationError if it settled none.
 */

const WALK_BUDGET = 512;

type Direction = 1 | -1;
/** 0: the same at every instant; null: not known to be monotone. */
type Monotony = Direction | 0 | null;

const THREW = Symbol('threw');

function at(node: RuleNode, data: unknown, now: number): unknown {
  charge(node.size);
  try {
    return node.fn(data, { now });
  } catch (error) {
    if (isBudgetExceeded(error)) throw error;

    return THREW;
  }
}

function truthAt(node: RuleNode, data: unknown, now: number): boolean {
  const value = at(node, data, now);

  return value !== THREW && isTruthy(value);
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;

  return Math.min(a, b);
}

/** The first whole millisecond after t at which a predicate, false at t and monotone, holds. */
function firstInstant(t: number, holds: (instant: number) => boolean): number | null {
  let low = Math.floor(t);
  let high = MAX_INSTANT;
  if (low >= high || !holds(high)) return null;
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    if (holds(middle)) high = middle;
    else low = middle;
  }

  return high;
}

export function nextChange(
  root: RuleNode,
  data: unknown,
  context: EvaluationContext,
): number | null {
  if (!root.readsClock) return null;
  const start = context.now;
  if (!Number.isFinite(start)) return null;
  let t = start;
  try {
    const truth = truthAt(root, data, start);
    let candidate: number | null = null;
    for (let step = 0; step < WALK_BUDGET; step++) {
      candidate = changeAfter(root, data, t);
      if (candidate === null || truthAt(root, data, candidate) !== truth) return candidate;
      t = candidate;
    }

    return changeAfter(root, data, t) ?? candidate;
  } catch (error) {
    // Nothing changes before t; what happens after it is for the next call to find.
    if (isBudgetExceeded(error) && t > start) return t;
    throw error;
  }
}

function changeAfter(node: RuleNode, data: unknown, t: number): number | null {
  if (!node.readsClock) return null;
  if (node.kind !== 'operation') {
    return node.kind === 'array' ? anyChange(node.items, data, t) : null;
  }
  const direction = monotony(node, data, t);
  if (direction === 1 || direction === -1) return numberChange(node, direction, data, t);
  const { operator } = node;
  if (operator !== undefined && isComparison(operator)) {
    return comparisonChange(operator, node, data, t);
  }
  if (operator !== undefined && isIterator(operator)) return iteratorChange(node, data, t);

  return anyChange(node.args, data, t);
}

/** The value may change when any argument's does. */
function anyChange(nodes: readonly RuleNode[], data: unknown, t: number): number | null {
  let first: number | null = null;
  for (const node of nodes) first = earliest(first, changeAfter(node, data, t));

  return first;
}

function numberAt(node: RuleNode, data: unknown, now: number): number | null {
  const value = at(node, data, now);

  return typeof value === 'number' ? value : null;
}

/** The next change of a monotone number: the first instant it is past its value at t. */
function numberChange(node: RuleNode, direction: Direction, data: unknown, t: number) {
  const start = numberAt(node, data, t);
  if (start === null || Number.isNaN(start)) return null;

  return firstInstant(t, (instant) => {
    const value = numberAt(node, data, instant);

    return value !== null && direction * value > direction * start;
  });
}

/**
 * Whether a node's value is a number monotone in time (for this data): built from `now`
 * and `days_since` of a fixed instant by +, -, * and / with fixed numbers, `timestamp`
 * of such a number, and min / max of such numbers going the same way.
 */
function monotony(node: RuleNode, data: unknown, t: number): Monotony {
  if (!node.readsClock) return 0;
  if (node.kind !== 'operation') return null;
  const { args, operator } = node;
  if (operator === undefined || !isMonotoneOperator(operator)) return null;
  switch (operator) {
    case 'now':
      return 1;
    case 'days_since':
      return args.length === 1 && !(args[0] as RuleNode).readsClock ? 1 : null;
    case 'timestamp': {
      if (args.length !== 1) return null;
      const inner = monotony(args[0] as RuleNode, data, t);
      const value = at(args[0] as RuleNode, data, t);

      return typeof value === 'number' && Number.isFinite(value) ? inner : null;
    }
    case '+':
    case 'min':
    case 'max':
      return combine(args.map((arg) => monotony(arg, data, t)));
    case '-': {
      const [a, b] = args as [RuleNode, RuleNode | undefined];
      if (args.length === 0) return 0;
      if (args.slice(2).some((arg) => arg.readsClock)) return null;
      const first = monotony(a, data, t);
      // With no second value (or an undefined one), `-` negates its first argument.
      if (b === undefined || (!b.readsClock && at(b, data, t) === undefined)) return flip(first);

      return combine([first, flip(monotony(b, data, t))]);
    }
    case '*':
      return args.length === 1 ? monotony(args[0] as RuleNode, data, t) : scaled(node, data, t);
    case '/': {
      if (args.length !== 2 || (args[1] as RuleNode).readsClock) return null;
      const divisor = at(args[1] as RuleNode, data, t);
      const inner = monotony(args[0] as RuleNode, data, t);

      return inner === null ? null : bySign(inner, Number(divisor));
    }
  }
}

type MonotoneOperator = 'now' | 'days_since' | 'timestamp' | '+' | '-' | '*' | '/' | 'min' | 'max';
const MONOTONE_OPERATORS: ReadonlySet<string> = new Set<MonotoneOperator>([
  'now',
  'days_since',
  'timestamp',
  '+',
  '-',
  '*',
  '/',
  'min',
  'max',
]);

function isMonotoneOperator(op: OperatorName): op is MonotoneOperator {
  return MONOTONE_OPERATORS.has(op);
}

const COMPARISONS: ReadonlySet<string> = new Set<ComparisonOperator>([
  '==',
  '===',
  '!=',
  '!==',
  '>',
  '>=',
  '<',
  '<=',
]);

function isComparison(op: OperatorName): op is ComparisonOperator {
  return COMPARISONS.has(op);
}

function flip(direction: Monotony): Monotony {
  return direction === null || direction === 0 ? direction : direction === 1 ? -1 : 1;
}

function combine(directions: readonly Monotony[]): Monotony {
  let result: Monotony = 0;
  for (const direction of directions) {
    if (direction === null) return null;
    if (direction === 0) continue;
    if (result !== 0 && result !== direction) return null;
    result = direction;
  }

  return result;
}

function bySign(direction: Monotony, factor: number): Monotony {
  if (direction === null || !Number.isFinite(factor) || factor === 0) return null;

  return factor > 0 ? direction : flip(direction);
}

/** `*` of one monotone argument and fixed numbers: their product's sign decides. */
function scaled(node: OperationNode, data: unknown, t: number): Monotony {
  const moving = node.args.filter((arg) => arg.readsClock);
  if (moving.length !== 1) return null;
  let factor = 1;
  for (const arg of node.args) {
    if (!arg.readsClock) factor *= parseFloat(String(at(arg, data, t)));
  }

  return bySign(monotony(moving[0] as RuleNode, data, t), factor);
}

function comparisonChange(
  op: ComparisonOperator,
  node: OperationNode,
  data: unknown,
  t: number,
): number | null {
  const { args } = node;
  const between = (op === '<' || op === '<=') && args.length === 3;
  if (args.length !== 2 && !between) return anyChange(args, data, t);
  const [a, b, c] = args as [RuleNode, RuleNode, RuleNode];
  if (between) {
    return earliest(sideChange(op, a, b, data, t), sideChange(op, b, c, data, t));
  }
  if (op === '==' || op === '!=' || op === '===' || op === '!==') {
    return equalityChange(op, a, b, data, t);
  }

  return sideChange(op, a, b, data, t);
}

/**
 * The next flip of `a op b` for an ordering: exact when one side is fixed and the other
 * monotone, or the two move in opposite directions, since the comparison then flips once.
 */
function sideChange(
  op: ComparisonOperator,
  a: RuleNode,
  b: RuleNode,
  data: unknown,
  t: number,
): number | null {
  if (!a.readsClock && !b.readsClock) return null;
  const da = monotony(a, data, t);
  const db = monotony(b, data, t);
  if (da === null || db === null || (da !== 0 && da === db)) return anyChange([a, b], data, t);
  const holdsAt = (instant: number) => {
    const left = at(a, data, instant);
    const right = at(b, data, instant);
    if (left === THREW || right === THREW) return undefined;
    if (op === '<') return lessThan(left, right, undefined);
    if (op === '<=') return lessOrEqual(left, right, undefined);

    return compare(op, left, right);
  };
  const initial = holdsAt(t);

  return firstInstant(t, (instant) => holdsAt(instant) !== initial);
}

/** The only number x with `x == value` (or `x === value` when strict); null if none. */
function equalTarget(value: unknown, strict: boolean): number | null {
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  if (strict || value === null || value === undefined || typeof value === 'symbol') return null;
  try {
    const number = Number(value);

    return Number.isNaN(number) ? null : number;
  } catch {
    return null;
  }
}

/**
 * A monotone number equals a fixed value on one stretch of time at most: the flip is the
 * first instant it reaches the value (if it does not jump over it) or leaves it.
 */
function equalityChange(
  op: '==' | '!=' | '===' | '!==',
  a: RuleNode,
  b: RuleNode,
  data: unknown,
  t: number,
): number | null {
  const [moving, fixed] = a.readsClock ? [a, b] : [b, a];
  const direction = monotony(moving, data, t);
  if (fixed.readsClock || direction === null || direction === 0) {
    return anyChange([a, b], data, t);
  }
  const fixedValue = at(fixed, data, t);
  if (fixedValue === THREW) return null;
  const target = equalTarget(fixedValue, op === '===' || op === '!==');
  const start = numberAt(moving, data, t);
  if (target === null || start === null || Number.isNaN(start)) return null;
  const ahead = (instant: number, orEqual: boolean) => {
    const value = numberAt(moving, data, instant);
    if (value === null) return false;

    return orEqual
      ? direction * value >= direction * target
      : direction * value > direction * target;
  };
  if (direction * start > direction * target) return null;
  if (start === target) return firstInstant(t, (instant) => ahead(instant, false));
  const reached = firstInstant(t, (instant) => ahead(instant, true));

  return reached !== null && numberAt(moving, data, reached) === target ? reached : null;
}

/** Per item, with the item (or the reduce step) as data, while the items stay the same. */
function iteratorChange(node: OperationNode, data: unknown, t: number): number | null {
  const [source, logic] = node.args;
  if (source === undefined) return null;
  let first = changeAfter(source, data, t);
  const items = at(source, data, t);
  const initialNode = node.operator === 'reduce' ? reduceInitial(node.args) : undefined;
  if (initialNode !== undefined) first = earliest(first, changeAfter(initialNode, data, t));
  if (!Array.isArray(items) || logic === undefined || !logic.readsClock) return first;
  if (node.operator !== 'reduce') {
    for (const item of items as unknown[]) first = earliest(first, changeAfter(logic, item, t));

    return first;
  }
  let accumulator = initialNode === undefined ? null : at(initialNode, data, t);
  for (const current of items as unknown[]) {
    const scope = { current, accumulator };
    first = earliest(first, changeAfter(logic, scope, t));
    accumulator = at(logic, scope, t);
    if (accumulator === THREW) break;
  }

  return first;
}
