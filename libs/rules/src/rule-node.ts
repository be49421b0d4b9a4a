import { charge, operand } from './evaluation-budget';
import { EvaluationError } from './evaluation-error';
import { type EvaluationContext, type Evaluator } from './evaluation-context';
import {
  isClassicOperator,
  isOperation,
  isTimeOperator,
  type IteratorOperator,
  type OperatorName,
  operationParts,
} from './operators';
import { pathReader } from './property-reader';
import {
  compare,
  type ComparisonOperator,
  concatenate,
  contains,
  lessOrEqual,
  lessThan,
  maximum,
  merge,
  minimum,
  pathSegments,
  product,
  readPath,
  readVar,
  substring,
  subtract,
  sum,
  toFloat,
} from './semantics';
import { daysBetween, daysSince, toTimestamp } from './time';
import { isTruthy } from './truthiness';

/**
 * A rule compiled into a tree: each node keeps its evaluator (a closure built once, so an
 * evaluation does no operator lookup and no key inspection), and enough structure for
 * explain() and nextChange() to walk it.
 */
export type RuleNode = LiteralNode | ArrayNode | OperationNode;

export interface LiteralNode {
  readonly kind: 'literal';
  readonly value: unknown;
  readonly fn: Evaluator;
  readonly usesTime: false;
  readonly readsClock: false;
  /** Nodes in this subtree: what one evaluation of it can do, iterations aside. */
  readonly size: number;
}

export interface ArrayNode {
  readonly kind: 'array';
  readonly items: readonly RuleNode[];
  /** Builds a new array on each call, as json-logic-js does. */
  readonly fn: Evaluator;
  readonly usesTime: boolean;
  readonly readsClock: boolean;
  /** When no item is an operation: the value, shared, for uses that never hand it out. */
  readonly constant: readonly unknown[] | undefined;
  readonly size: number;
}

export interface OperationNode {
  readonly kind: 'operation';
  readonly op: string;
  /** Undefined for an operator the engine does not know (only reachable through data). */
  readonly operator: OperatorName | undefined;
  readonly args: readonly RuleNode[];
  readonly fn: Evaluator;
  /** Contains a time operator (now, timestamp, days_since). */
  readonly usesTime: boolean;
  /** Its value can depend on context.now: contains now or days_since. */
  readonly readsClock: boolean;
  readonly size: number;
}

export interface BuildOptions {
  /**
   * Rules know the time operators; logic found in data at evaluation time (a key of
   * `missing` that is itself an operation) does not, as json-logic-js does not, so the
   * time analysis of a compiled rule sees every use of the clock.
   */
  readonly timeOperators: boolean;
  /**
   * Read fixed paths with generated code (property-reader.ts). Not for logic met in data,
   * which is built anew on each evaluation and whose paths the data chooses.
   */
  readonly generatedReaders: boolean;
}

export const RULE_OPTIONS: BuildOptions = { timeOperators: true, generatedReaders: true };
const DATA_OPTIONS: BuildOptions = { timeOperators: false, generatedReaders: false };

export function buildNode(raw: unknown, options: BuildOptions): RuleNode {
  if (Array.isArray(raw)) return buildArray(raw, options);
  if (!isOperation(raw)) return literal(raw);
  const parts = operationParts(raw);
  const args: RuleNode[] = [];
  for (let i = 0; i < parts.args.length; i++) args.push(buildNode(parts.args[i], options));
  const { op } = parts;
  const operator =
    isClassicOperator(op) || (options.timeOperators && isTimeOperator(op)) ? op : undefined;
  const usesTime =
    (operator !== undefined && isTimeOperator(operator)) || args.some((arg) => arg.usesTime);
  const readsClock =
    operator === 'now' || operator === 'days_since' || args.some((arg) => arg.readsClock);
  const fn =
    operator === undefined ? unknownOperation(op, args) : compileOperation(operator, args, options);

  return { kind: 'operation', op, operator, args, fn, usesTime, readsClock, size: sizeOf(args) };
}

function sizeOf(children: readonly RuleNode[]): number {
  let size = 1;
  for (let i = 0; i < children.length; i++) size += (children[i] as RuleNode).size;

  return size;
}

/** json-logic-js's apply() of a value met in data: arrays are mapped, operations run. */
export function applyDynamic(value: unknown, data: unknown, context: EvaluationContext): unknown {
  if (Array.isArray(value)) {
    charge(value.length);

    return value.map((item): unknown => applyDynamic(item, data, context));
  }
  if (!isOperation(value)) return value;
  const node = buildNode(value, DATA_OPTIONS);
  charge(node.size);

  return node.fn(data, context);
}

/** The value of a node that is the same on every evaluation, if it is one. */
export function constantOf(node: RuleNode | undefined): { value: unknown } | undefined {
  if (node === undefined) return undefined;
  if (node.kind === 'literal') return { value: node.value };
  if (node.kind === 'array' && node.constant !== undefined) return { value: node.constant };

  return undefined;
}

function literal(value: unknown): LiteralNode {
  return { kind: 'literal', value, fn: () => value, usesTime: false, readsClock: false, size: 1 };
}

function buildArray(raw: readonly unknown[], options: BuildOptions): ArrayNode {
  const items: RuleNode[] = [];
  for (let i = 0; i < raw.length; i++) items.push(buildNode(raw[i], options));
  const usesTime = items.some((item) => item.usesTime);
  const readsClock = items.some((item) => item.readsClock);
  const size = sizeOf(items);
  const constants = items.map(constantOf);
  if (constants.every((constant) => constant !== undefined)) {
    const constant = Object.freeze(constants.map((item) => item.value));

    return {
      kind: 'array',
      items,
      fn: () => copyArrays(constant),
      usesTime,
      readsClock,
      constant,
      size,
    };
  }
  const fns = items.map((item) => item.fn);

  return {
    kind: 'array',
    items,
    fn: (data, context) => {
      const values: unknown[] = new Array(fns.length);
      for (let i = 0; i < fns.length; i++) values[i] = (fns[i] as Evaluator)(data, context);

      return values;
    },
    usesTime,
    readsClock,
    constant: undefined,
    size,
  };
}

function copyArrays(values: readonly unknown[]): unknown[] {
  return values.map((value) => (Array.isArray(value) ? copyArrays(value) : value));
}

function unknownOperation(op: string, args: readonly RuleNode[]): Evaluator {
  const fns = args.map((arg) => arg.fn);

  return (data, context) => {
    // json-logic-js evaluates the arguments before it finds out.
    for (const fn of fns) fn(data, context);
    throw new EvaluationError('unknown_operator', `Unrecognized operation ${op}`);
  };
}

type SpecialOperator = 'if' | '?:' | 'and' | 'or' | IteratorOperator;
export type EagerOperator = Exclude<OperatorName, SpecialOperator>;
export type AppliedOperator = (
  values: readonly unknown[],
  data: unknown,
  context: EvaluationContext,
) => unknown;

/** An operator that takes its arguments evaluated, as a function of those values. */
export function eagerOperator(op: EagerOperator): AppliedOperator {
  switch (op) {
    case 'var':
      return (values, data) => readVar(data, values[0], values[1]);
    case 'missing':
      return (values, data, context) => missing(values, data, context);
    case 'missing_some':
      return (values, data, context) => missingSome(values[0], values[1], data, context);
    case '==':
    case '===':
    case '!=':
    case '!==':
    case '>':
    case '>=':
      return (values) => compare(op, values[0], values[1]);
    case '<':
      return (values) => lessThan(values[0], values[1], values[2]);
    case '<=':
      return (values) => lessOrEqual(values[0], values[1], values[2]);
    case '!':
      return (values) => !isTruthy(values[0]);
    case '!!':
      return (values) => isTruthy(values[0]);
    case 'max':
      return (values) => maximum(values);
    case 'min':
      return (values) => minimum(values);
    case '+':
      return (values) => sum(values);
    case '-':
      return (values) => subtract(values[0], values[1]);
    case '*':
      return (values) => product(values);
    case '/':
      return (values) => operand(values[0] as number) / operand(values[1] as number);
    case '%':
      return (values) => operand(values[0] as number) % operand(values[1] as number);
    case 'merge':
      return (values) => merge(values);
    case 'in':
      return (values) => contains(values[0], values[1]);
    case 'cat':
      return (values) => concatenate(values);
    case 'substr':
      return (values) => substring(values[0], values[1], values[2]);
    case 'log':
      return (values) => values[0];
    case 'now':
      return (_values, _data, context) => context.now;
    case 'timestamp':
      return (values) => toTimestamp(values[0]);
    case 'days_since':
      return (values, _data, context) => daysSince(values[0], context.now);
  }
}

export function isSpecialOperator(op: OperatorName): op is SpecialOperator {
  return (
    op === 'if' ||
    op === '?:' ||
    op === 'and' ||
    op === 'or' ||
    op === 'map' ||
    op === 'filter' ||
    op === 'reduce' ||
    op === 'all' ||
    op === 'none' ||
    op === 'some'
  );
}

function compileOperation(
  op: OperatorName,
  args: readonly RuleNode[],
  options: BuildOptions,
): Evaluator {
  switch (op) {
    case 'if':
    case '?:':
      return compileIf(args);
    case 'and':
      return compileAnd(args);
    case 'or':
      return compileOr(args);
    case 'map':
    case 'filter':
    case 'reduce':
    case 'all':
    case 'none':
    case 'some':
      return compileIterator(op, args);
    case 'var':
      return compileVar(args, options) ?? eager(op, args);
    case 'missing':
      return compileMissing(args, options) ?? eager(op, args);
    case 'missing_some':
      return compileMissingSome(args, options) ?? eager(op, args);
    case '==':
    case '===':
    case '!=':
    case '!==':
    case '>':
    case '>=':
    case '<':
    case '<=':
      return compileComparison(op, args) ?? eager(op, args);
    case '!':
    case '!!':
      return compileNot(op, args) ?? eager(op, args);
    case 'in':
      return compileIn(args) ?? eager(op, args);
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return compileArithmetic(op, args) ?? eager(op, args);
    case 'log':
      return args.length === 1 ? (args[0] as RuleNode).fn : eager(op, args);
    case 'now':
      return args.length === 0 ? (_data, context) => context.now : eager(op, args);
    case 'timestamp':
    case 'days_since':
      return compileTime(op, args) ?? eager(op, args);
    case 'max':
    case 'min':
    case 'merge':
    case 'cat':
    case 'substr':
      return eager(op, args);
  }
}

function eager(op: EagerOperator, args: readonly RuleNode[]): Evaluator {
  const apply = eagerOperator(op);
  const fns = args.map((arg) => arg.fn);

  return (data, context) => {
    const values: unknown[] = new Array(fns.length);
    for (let i = 0; i < fns.length; i++) values[i] = (fns[i] as Evaluator)(data, context);

    return apply(values, data, context);
  };
}

function compileIf(args: readonly RuleNode[]): Evaluator {
  const fns = args.map((arg) => arg.fn);
  const [a, b, c] = fns as [Evaluator, Evaluator, Evaluator];
  switch (fns.length) {
    case 0:
      return () => null;
    case 1:
      return a;
    case 2:
      return (data, context) => (isTruthy(a(data, context)) ? b(data, context) : null);
    case 3:
      return (data, context) => (isTruthy(a(data, context)) ? b(data, context) : c(data, context));
    default:
      return (data, context) => {
        let i = 0;
        for (; i < fns.length - 1; i += 2) {
          if (isTruthy((fns[i] as Evaluator)(data, context))) {
            return (fns[i + 1] as Evaluator)(data, context);
          }
        }

        return fns.length === i + 1 ? (fns[i] as Evaluator)(data, context) : null;
      };
  }
}

function compileAnd(args: readonly RuleNode[]): Evaluator {
  const fns = args.map((arg) => arg.fn);
  const [a, b] = fns as [Evaluator, Evaluator];
  switch (fns.length) {
    case 0:
      return () => undefined;
    case 1:
      return a;
    case 2:
      return (data, context) => {
        const first = a(data, context);

        return isTruthy(first) ? b(data, context) : first;
      };
    default:
      return (data, context) => {
        let current: unknown;
        for (const fn of fns) {
          current = fn(data, context);
          if (!isTruthy(current)) return current;
        }

        return current;
      };
  }
}

function compileOr(args: readonly RuleNode[]): Evaluator {
  const fns = args.map((arg) => arg.fn);
  const [a, b] = fns as [Evaluator, Evaluator];
  switch (fns.length) {
    case 0:
      return () => undefined;
    case 1:
      return a;
    case 2:
      return (data, context) => {
        const first = a(data, context);

        return isTruthy(first) ? first : b(data, context);
      };
    default:
      return (data, context) => {
        let current: unknown;
        for (const fn of fns) {
          current = fn(data, context);
          if (isTruthy(current)) return current;
        }

        return current;
      };
  }
}

/** Whether reduce has an initial value: json-logic-js asks typeof values[2] !== "undefined". */
export function reduceInitial(args: readonly RuleNode[]): RuleNode | undefined {
  const initial = args[2];
  if (initial === undefined || (initial.kind === 'literal' && initial.value === undefined)) {
    return undefined;
  }

  return initial;
}

const none: Evaluator = () => undefined;

/** What each item an iterator visits costs (evaluation-budget.ts): 1 and its logic's size. */
export function iterationCost(args: readonly RuleNode[]): number {
  return 1 + (args[1]?.size ?? 0);
}

export function compileIterator(op: IteratorOperator, args: readonly RuleNode[]): Evaluator {
  const source = args[0]?.fn ?? none;
  const logic = args[1]?.fn ?? none;
  const cost = iterationCost(args);
  switch (op) {
    case 'map':
      return (data, context) => {
        const items = source(data, context);
        if (!Array.isArray(items)) return [];

        return items.map((item) => {
          charge(cost);

          return logic(item, context);
        });
      };
    case 'filter':
      return (data, context) => {
        const items = source(data, context);
        if (!Array.isArray(items)) return [];

        return (items as unknown[]).filter((item) => {
          charge(cost);

          return isTruthy(logic(item, context));
        });
      };
    case 'reduce': {
      const initial = reduceInitial(args)?.fn ?? (() => null);

      return (data, context) => {
        const items = source(data, context);
        const seed = initial(data, context);
        if (!Array.isArray(items)) return seed;

        return (items as unknown[]).reduce((accumulator: unknown, current: unknown) => {
          charge(cost);

          return logic({ current, accumulator }, context);
        }, seed);
      };
    }
    case 'all':
      return (data, context) => {
        const items = source(data, context);
        if (!Array.isArray(items) || items.length === 0) return false;
        for (let i = 0; i < items.length; i++) {
          charge(cost);
          if (!isTruthy(logic(items[i], context))) return false;
        }

        return true;
      };
    case 'none':
      return (data, context) => {
        const items = source(data, context);
        if (!Array.isArray(items) || items.length === 0) return true;
        for (let i = 0; i < items.length; i++) {
          charge(cost);
          if (isTruthy(logic(items[i], context))) return false;
        }

        return true;
      };
    case 'some':
      return (data, context) => {
        const items = source(data, context);
        if (!Array.isArray(items) || items.length === 0) return false;
        for (let i = 0; i < items.length; i++) {
          charge(cost);
          if (isTruthy(logic(items[i], context))) return true;
        }

        return false;
      };
  }
}

function isPathLiteral(value: unknown): value is string | number | boolean | null | undefined {
  return (
    value === null ||
    value === undefined ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  );
}

/** A reader for a constant path, the default already applied; undefined if not constant. */
function constantPathReader(
  path: unknown,
  notFound: unknown,
  options: BuildOptions,
): ((data: unknown) => unknown) | undefined {
  if (!isPathLiteral(path)) return undefined;
  if (path === undefined || path === '' || path === null) return (data) => data;
  let segments: string[];
  try {
    segments = pathSegments(path);
  } catch (error) {
    // Only logic met in data gets here: the validator refuses such a path in a rule.
    return () => {
      throw error;
    };
  }
  if (!options.generatedReaders) return (data) => readPath(data, segments, notFound);
  const read = pathReader(segments);

  return (data) => {
    const value = read(data);

    return value === undefined ? notFound : value;
  };
}

function compileVar(args: readonly RuleNode[], options: BuildOptions): Evaluator | undefined {
  if (args.length > 2) return undefined;
  const path = constantOf(args[0] ?? literal(undefined));
  if (path === undefined || !isPathLiteral(path.value)) return undefined;
  const fallbackNode = args[1];
  const fallback = constantOf(fallbackNode ?? literal(undefined));
  if (fallback !== undefined && fallbackNode?.kind !== 'array') {
    return constantPathReader(
      path.value,
      fallback.value === undefined ? null : fallback.value,
      options,
    );
  }
  // The default is evaluated even when the path is found, as json-logic-js does.
  const fallbackFn = (fallbackNode as RuleNode).fn;
  const p = path.value;
  if (p === undefined || p === '' || p === null) {
    return (data, context) => {
      fallbackFn(data, context);

      return data;
    };
  }

  return (data, context) => readVar(data, p, fallbackFn(data, context));
}

/** For each constant key of `missing`: its value in data, read the way `var` reads it. */
function keyReaders(
  keys: readonly unknown[],
  options: BuildOptions,
): ((data: unknown) => unknown)[] | undefined {
  const readers: ((data: unknown) => unknown)[] = [];
  for (const key of keys) {
    if (typeof key !== 'string' && typeof key !== 'number') return undefined;
    const reader = constantPathReader(key, null, options);
    if (reader === undefined) return undefined;
    readers.push(reader);
  }

  return readers;
}

function missingKeys(
  keys: readonly unknown[],
  readers: readonly ((data: unknown) => unknown)[],
  data: unknown,
): unknown[] {
  const absent: unknown[] = [];
  for (let i = 0; i < readers.length; i++) {
    const value = (readers[i] as (data: unknown) => unknown)(data);
    if (value === null || value === '') absent.push(keys[i]);
  }

  return absent;
}

function compileMissing(args: readonly RuleNode[], options: BuildOptions): Evaluator | undefined {
  const constants = args.map(constantOf);
  if (!constants.every((constant) => constant !== undefined)) return undefined;
  const values = constants.map((constant) => constant.value);
  const keys = Array.isArray(values[0]) ? (values[0] as unknown[]) : values;
  const readers = keyReaders(keys, options);
  if (readers === undefined) return undefined;

  return (data) => missingKeys(keys, readers, data);
}

function compileMissingSome(
  args: readonly RuleNode[],
  options: BuildOptions,
): Evaluator | undefined {
  if (args.length !== 2) return undefined;
  const need = constantOf(args[0]);
  const list = constantOf(args[1]);
  if (need === undefined || list === undefined || !Array.isArray(list.value)) return undefined;
  const keys = list.value as readonly unknown[];
  if (keys.some((key) => Array.isArray(key))) return undefined;
  const readers = keyReaders(keys, options);
  if (readers === undefined) return undefined;
  const required = need.value as number;

  return (data) => {
    const absent = missingKeys(keys, readers, data);

    return keys.length - absent.length >= required ? [] : absent;
  };
}

function missing(values: readonly unknown[], data: unknown, context: EvaluationContext) {
  const keys = Array.isArray(values[0]) ? (values[0] as unknown[]) : values;
  charge(keys.length);
  const absent: unknown[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    // json-logic-js runs {"var": key} through apply(), so a key may itself be logic.
    let value: unknown;
    if (Array.isArray(key)) {
      const varArgs = key.map((item): unknown => applyDynamic(item, data, context));
      value = readVar(data, varArgs[0], varArgs[1]);
    } else {
      value = readVar(data, applyDynamic(key, data, context), undefined);
    }
    if (value === null || value === '') absent.push(key);
  }

  return absent;
}

function missingSome(
  need: unknown,
  options: unknown,
  data: unknown,
  context: EvaluationContext,
): unknown[] {
  // json-logic-js applies {"missing": options}, evaluating the options a second time.
  if (Array.isArray(options)) charge(options.length);
  const keys = Array.isArray(options)
    ? options.map((option): unknown => applyDynamic(option, data, context))
    : [applyDynamic(options, data, context)];
  const absent = missing(keys, data, context);

  return (options as { length: number }).length - absent.length >= (need as number) ? [] : absent;
}

function compileComparison(
  op: ComparisonOperator,
  args: readonly RuleNode[],
): Evaluator | undefined {
  if (args.length !== 2) return undefined;
  const [left, right] = args as [RuleNode, RuleNode];
  const a = left.fn;
  const constant = constantOf(right);
  // A constant is part of the rule, whose size pays for converting it.
  if (constant !== undefined) {
    const k = constant.value as number;
    switch (op) {
      case '==':
        return (data, context) => operand(a(data, context)) == k;
      case '===':
        return (data, context) => a(data, context) === k;
      case '!=':
        return (data, context) => operand(a(data, context)) != k;
      case '!==':
        return (data, context) => a(data, context) !== k;
      case '>':
        return (data, context) => operand(a(data, context) as number) > k;
      case '>=':
        return (data, context) => operand(a(data, context) as number) >= k;
      case '<':
        return (data, context) => operand(a(data, context) as number) < k;
      case '<=':
        return (data, context) => operand(a(data, context) as number) <= k;
    }
  }
  const b = right.fn;
  switch (op) {
    case '==':
      return (data, context) => operand(a(data, context)) == operand(b(data, context));
    case '===':
      return (data, context) => a(data, context) === b(data, context);
    case '!=':
      return (data, context) => operand(a(data, context)) != operand(b(data, context));
    case '!==':
      return (data, context) => a(data, context) !== b(data, context);
    case '>':
      return (data, context) =>
        operand(a(data, context) as number) > operand(b(data, context) as number);
    case '>=':
      return (data, context) =>
        operand(a(data, context) as number) >= operand(b(data, context) as number);
    case '<':
      return (data, context) =>
        operand(a(data, context) as number) < operand(b(data, context) as number);
    case '<=':
      return (data, context) =>
        operand(a(data, context) as number) <= operand(b(data, context) as number);
  }
}

function compileNot(op: '!' | '!!', args: readonly RuleNode[]): Evaluator | undefined {
  if (args.length !== 1) return undefined;
  const a = (args[0] as RuleNode).fn;

  return op === '!'
    ? (data, context) => !isTruthy(a(data, context))
    : (data, context) => isTruthy(a(data, context));
}

// Above this size a Set answers `in` faster than indexOf.
const SET_THRESHOLD = 8;

function compileIn(args: readonly RuleNode[]): Evaluator | undefined {
  if (args.length !== 2) return undefined;
  const needle = (args[0] as RuleNode).fn;
  const haystack = constantOf(args[1]);
  if (haystack === undefined) {
    // A fixed needle in data, as in {"in": ["vip", {"var": "tags"}]}.
    const item = constantOf(args[0]);
    if (item === undefined || Array.isArray(item.value)) return undefined;
    const k = item.value;
    const search = (args[1] as RuleNode).fn;

    return (data, context) => {
      const h = search(data, context);
      if (!Array.isArray(h)) return contains(k, h);
      charge(h.length);

      return h.indexOf(k) !== -1;
    };
  }
  const h = haystack.value;
  if (Array.isArray(h)) {
    // A Set matches by SameValueZero, indexOf by ===: they differ on NaN only.
    if (h.length > SET_THRESHOLD && !h.some((item) => Number.isNaN(item))) {
      const set = new Set<unknown>(h);

      return (data, context) => set.has(needle(data, context));
    }

    return (data, context) => {
      // indexOf's comparison, ===, without the call.
      const item = needle(data, context);
      for (let i = 0; i < h.length; i++) if (h[i] === item) return true;

      return false;
    };
  }
  if (typeof h === 'string' && h !== '') {
    return (data, context) => h.indexOf(operand(needle(data, context)) as string) !== -1;
  }

  return undefined;
}

function compileArithmetic(
  op: '+' | '-' | '*' | '/' | '%',
  args: readonly RuleNode[],
): Evaluator | undefined {
  const [first, second] = args.map((arg) => arg.fn) as [Evaluator, Evaluator];
  if (args.length === 1) {
    switch (op) {
      case '+':
        return (data, context) => 0 + toFloat(first(data, context));
      case '-':
        return (data, context) => subtract(first(data, context), undefined);
      case '*':
        return first;
      case '/':
      case '%':
        return undefined;
    }
  }
  if (args.length !== 2) return undefined;
  switch (op) {
    case '+':
      return (data, context) => 0 + toFloat(first(data, context)) + toFloat(second(data, context));
    case '-':
      return (data, context) => subtract(first(data, context), second(data, context));
    case '*':
      return (data, context) => toFloat(first(data, context)) * toFloat(second(data, context));
    case '/':
      return (data, context) =>
        operand(first(data, context) as number) / operand(second(data, context) as number);
    case '%':
      return (data, context) =>
        operand(first(data, context) as number) % operand(second(data, context) as number);
  }
}

function compileTime(op: 'timestamp' | 'days_since', args: readonly RuleNode[]) {
  if (args.length !== 1) return undefined;
  const arg = args[0] as RuleNode;
  const constant = constantOf(arg);
  if (constant !== undefined) {
    const at = toTimestamp(constant.value);
    if (op === 'timestamp') return () => at;
    if (at === null) return () => null;

    return (_data: unknown, context: EvaluationContext) => daysBetween(at, context.now);
  }
  const stamp = rememberingLast(arg.fn);
  if (op === 'timestamp') return stamp;

  return (data: unknown, context: EvaluationContext) => {
    const at = stamp(data, context);

    return at === null ? null : daysBetween(at, context.now);
  };
}

/**
 * `timestamp` of an argument, remembering the last string parsed: nextChange() evaluates
 * a rule at many instants for the same data, and explain() follows evaluate().
 */
function rememberingLast(
  fn: Evaluator,
): (data: unknown, context: EvaluationContext) => number | null {
  let lastText: string | undefined;
  let lastAt: number | null = null;

  return (data, context) => {
    const value = fn(data, context);
    if (typeof value !== 'string') return toTimestamp(value);
    if (value !== lastText) {
      lastAt = toTimestamp(value);
      lastText = value;
    }

    return lastAt;
  };
}
