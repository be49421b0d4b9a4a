import { isPlainObject } from './json-value';
import { type RuleLimits, resolveLimits } from './limits';
import {
  ARITY,
  isIterator,
  isOperation,
  isOperatorName,
  type OperatorName,
  UNSAFE_SEGMENTS,
  unsafeSegment,
} from './operators';
import { joinPath, type RuleIssue, type RuleIssueCode } from './rule-issue';
import { parseTimestamp } from './time';

export interface ValidateRuleOptions {
  limits?: Partial<RuleLimits>;
  /** Accept {"arg": "name"} placeholders: the rule is a template, resolved later. */
  allowArgs?: boolean;
  /**
   * Refuse iterators over literals too costly for the evaluation budget (`too_costly`;
   * default true). Off for rules stored before the check existed: the budget bounds
   * them when they run.
   */
  checkCost?: boolean;
}

/** Names an {"arg": ...} placeholder may use (and isArgumentName refuses the reserved ones). */
export const ARGUMENT_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

export const ARGUMENT_NAME_RULE =
  'An argument name is a letter or "_", then up to 63 letters, digits, "_" or "-"; __proto__, constructor and prototype are reserved.';

/**
 * Whether a string may name an argument. The names that reach object prototypes are
 * refused: arguments become keys of the effective rule's `arguments` object.
 */
export function isArgumentName(name: unknown): name is string {
  return typeof name === 'string' && ARGUMENT_NAME.test(name) && !UNSAFE_SEGMENTS.has(name);
}

/** A one-key object {"arg": ...}: a template's placeholder. */
export function isPlaceholder(value: unknown): value is { arg: unknown } {
  return isOperation(value) && Object.hasOwn(value, 'arg');
}

interface Walk {
  readonly limits: RuleLimits;
  readonly allowArgs: boolean;
  readonly issues: RuleIssue[];
  readonly ancestors: Set<object>;
  nodes: number;
  /** Set once the rule is too deep, too large or not serializable: no byte count then. */
  stopped: boolean;
}

/**
 * Every reason to refuse a rule, each at the path of the offending part: unknown
 * operators, wrong argument counts or malformed arguments, unsafe paths, non-JSON values
 * and numbers, objects that are not operations, rules too deep or too large, and (once
 * nothing else is wrong) iterators over literals too costly for the evaluation budget.
 * [] when it is valid.
 */
export function validateRule(rule: unknown, options: ValidateRuleOptions = {}): RuleIssue[] {
  const walk: Walk = {
    limits: resolveLimits(options.limits),
    allowArgs: options.allowArgs ?? false,
    issues: [],
    ancestors: new Set(),
    nodes: 0,
    stopped: false,
  };
  try {
    visit(rule, '', 1, walk);
  } catch {
    // A getter or a proxy that throws: nothing JSON.parse could have produced.
    report(walk, '', 'not_json', 'The rule could not be read as JSON.');
    walk.stopped = true;
  }
  if (!walk.stopped) {
    const bytes = Buffer.byteLength(JSON.stringify(rule) ?? '', 'utf8');
    if (bytes > walk.limits.maxBytes) {
      report(
        walk,
        '',
        'too_large',
        `The rule takes ${bytes} bytes as JSON; at most ${walk.limits.maxBytes} are allowed.`,
      );
    }
  }
  if (walk.issues.length === 0 && options.checkCost !== false) checkCost(rule, walk);

  return walk.issues;
}

interface Cost {
  /** Values in the subtree, as the compiled rule counts them (RuleNode.size). */
  readonly size: number;
  /** Steps its iterations take, at least (see checkCost). */
  readonly steps: number;
}

/**
 * The cost check: refuses a rule whose iterators over array literals alone take more
 * steps of the evaluation budget than it allows (evaluation-budget.ts), counting every
 * item of a literal and one item of an array from data, as an iterator that visits them
 * all would. Nested literals multiply, so this catches the explosive ones at once instead
 * of leaving them to fail on every profile. The issue sits at the innermost iterator
 * that is over budget on its own, else at the root.
 */
function checkCost(rule: unknown, walk: Walk): void {
  const { maxSteps } = walk.limits;
  const overBudget = (path: string, steps: number) =>
    report(
      walk,
      path,
      'too_costly',
      `An evaluation takes at least ${steps} steps of work here (an iterator pays for each item of an array literal); the evaluation budget is ${maxSteps}.`,
    );
  let reported = false;
  const cost = (value: unknown, path: string): Cost => {
    if (Array.isArray(value)) {
      return sum(value.map((item, i) => cost(item, joinPath(path, i))));
    }
    if (!isOperation(value) || isPlaceholder(value)) return { size: 1, steps: 0 };
    const op = Object.keys(value)[0] as string;
    const raw = value[op];
    const opPath = joinPath(path, op);
    const args = Array.isArray(raw) ? (raw as unknown[]) : [raw];
    const costs = args.map((arg, i) =>
      cost(arg, Array.isArray(raw) ? joinPath(opPath, i) : opPath),
    );
    const own = sum(costs);
    if (!isOperatorName(op) || !isIterator(op) || costs[1] === undefined) return own;
    const items = Array.isArray(args[0]) ? args[0].length : 1;
    const logic = costs[1];
    const steps = own.steps - logic.steps + items * (1 + logic.size + logic.steps);
    if (steps > maxSteps && !reported) {
      overBudget(opPath, steps);
      reported = true;
    }

    return { size: own.size, steps };
  };
  const total = cost(rule, '');
  const steps = total.size + total.steps;
  if (steps > maxSteps && !reported) overBudget('', steps);
}

function sum(costs: readonly Cost[]): Cost {
  let size = 1;
  let steps = 0;
  for (const cost of costs) {
    size += cost.size;
    steps += cost.steps;
  }

  return { size, steps };
}

function report(walk: Walk, path: string, code: RuleIssueCode, message: string): void {
  walk.issues.push({ path, code, message });
}

function visit(value: unknown, path: string, depth: number, walk: Walk): void {
  if (walk.nodes >= walk.limits.maxNodes) {
    if (!walk.stopped) {
      report(walk, '', 'too_large', `The rule has more than ${walk.limits.maxNodes} nodes.`);
    }
    walk.stopped = true;

    return;
  }
  walk.nodes++;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        report(walk, path, 'non_finite_number', nonFiniteMessage(value));
      }

      return;
    case 'object':
      if (value === null) return;
      // Depth counts objects and arrays: a scalar inside the deepest one adds no level.
      if (depth > walk.limits.maxDepth) {
        report(
          walk,
          path,
          'too_deep',
          `The rule nests objects and arrays deeper than ${walk.limits.maxDepth} levels.`,
        );
        walk.stopped = true;

        return;
      }
      if (walk.ancestors.has(value)) {
        notJson(walk, path, 'The rule contains itself.');

        return;
      }
      walk.ancestors.add(value);
      visitObject(value, path, depth, walk);
      walk.ancestors.delete(value);

      return;
    case 'undefined':
    case 'bigint':
    case 'symbol':
    case 'function':
      notJson(walk, path, `A value of type ${typeof value} is not JSON.`);
  }
}

/** JSON.parse reads a number beyond ±1.8e308 (1e400) as Infinity, which JSON cannot hold. */
export function nonFiniteMessage(value: number): string {
  return Number.isNaN(value)
    ? 'NaN is not a JSON number.'
    : `The number is out of range: JSON numbers are finite, within ±1.8e308 (a literal such as 1e400 reads as ${value}).`;
}

function notJson(walk: Walk, path: string, message: string): void {
  report(walk, path, 'not_json', message);
  walk.stopped = true;
}

function visitObject(value: object, path: string, depth: number, walk: Walk): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) notJson(walk, joinPath(path, i), 'An array hole is not JSON.');
      else visit(value[i], joinPath(path, i), depth + 1, walk);
    }

    return;
  }
  if (!isPlainObject(value) || Object.getOwnPropertySymbols(value).length > 0) {
    notJson(walk, path, 'Only plain JSON objects are allowed.');

    return;
  }
  const keys = Object.keys(value);
  for (const key of keys) {
    if (Object.getOwnPropertyDescriptor(value, key)?.get !== undefined) {
      notJson(walk, joinPath(path, key), 'A property with a getter is not JSON.');

      return;
    }
  }
  if (keys.length === 1) {
    visitOperation(value, keys[0] as string, path, depth, walk);

    return;
  }
  report(
    walk,
    path,
    'object_literal',
    keys.length === 0
      ? 'An empty object is not an operation; json-logic-js would take it as always true.'
      : `An operation has exactly one key, the operator; this object has ${keys.length} (${keys
          .slice(0, 5)
          .join(', ')}).`,
  );
  for (const key of keys) visit(value[key], joinPath(path, key), depth + 1, walk);
}

function visitOperation(
  operation: Record<string, unknown>,
  op: string,
  path: string,
  depth: number,
  walk: Walk,
): void {
  const opPath = joinPath(path, op);
  const raw = operation[op];
  if (op === 'arg') {
    if (!walk.allowArgs) {
      report(
        walk,
        opPath,
        'unresolved_argument',
        'An {"arg": name} placeholder is only allowed in a rule definition, resolved before use.',
      );
    } else if (!isArgumentName(raw)) {
      report(walk, opPath, 'invalid_argument', ARGUMENT_NAME_RULE);
    }
  } else if (!isOperatorName(op)) {
    report(walk, opPath, 'unknown_operator', `Unknown operator "${op}".`);
  } else {
    const args = Array.isArray(raw) ? (raw as unknown[]) : [raw];
    const argPath = (i: number) => (Array.isArray(raw) ? joinPath(opPath, i) : opPath);
    checkArity(op, args.length, opPath, walk);
    checkArguments(op, args, argPath, walk);
  }
  visit(raw, opPath, depth + 1, walk);
}

function checkArity(op: OperatorName, count: number, path: string, walk: Walk): void {
  const [min, max] = ARITY[op];
  if (count >= min && count <= max) return;
  const expected =
    min === max
      ? `${min === 0 ? 'no' : min} argument${min === 1 ? '' : 's'}`
      : max === Infinity
        ? `at least ${min} argument${min === 1 ? '' : 's'}`
        : `${min} to ${max} arguments`;
  report(walk, path, 'arity', `"${op}" takes ${expected}, got ${count}.`);
}

/** Checks of arguments written as literals; an operation in their place is checked when run. */
function checkArguments(
  op: OperatorName,
  args: readonly unknown[],
  argPath: (i: number) => string,
  walk: Walk,
): void {
  const literal = (i: number) => i < args.length && !isOperation(args[i]);
  const invalid = (i: number, message: string) =>
    report(walk, argPath(i), 'invalid_argument', message);
  if (isIterator(op)) {
    if (literal(0) && !Array.isArray(args[0])) {
      invalid(0, `"${op}" iterates over an array; anything else counts as empty.`);
    }

    return;
  }
  if (!isCheckedOperator(op)) return;
  switch (op) {
    case 'var':
      if (literal(0)) checkPath(args[0], argPath(0), walk, 'path');

      return;
    case 'missing':
      if (Array.isArray(args[0])) {
        const keys = args[0] as unknown[];
        keys.forEach((key, i) => {
          if (!isOperation(key)) checkPath(key, joinPath(argPath(0), i), walk, 'key');
        });
        if (args.length > 1) {
          invalid(1, 'After an array of keys, "missing" ignores any further argument.');
        }
      } else {
        args.forEach((key, i) => {
          if (!isOperation(key)) checkPath(key, argPath(i), walk, 'key');
        });
      }

      return;
    case 'missing_some':
      if (literal(0) && typeof args[0] !== 'number') {
        invalid(0, 'The first argument of "missing_some" is how many keys must be present.');
      }
      if (literal(1)) {
        const keys = args[1];
        if (!Array.isArray(keys)) {
          invalid(1, 'The second argument of "missing_some" is an array of keys.');
        } else {
          keys.forEach((key, i) => {
            if (!isOperation(key)) checkPath(key, joinPath(argPath(1), i), walk, 'key');
          });
        }
      }

      return;
    case 'in':
      if (literal(1) && !Array.isArray(args[1]) && typeof args[1] !== 'string') {
        invalid(1, '"in" looks in an array or a string; against anything else it is false.');
      }

      return;
    case 'substr':
      for (const i of [1, 2]) {
        if (literal(i) && typeof args[i] !== 'number') {
          invalid(i, 'The start and length of "substr" are numbers.');
        }
      }

      return;
    case 'timestamp':
    case 'days_since':
      if (literal(0)) checkTimestamp(args[0], argPath(0), walk);

      return;
  }
}

/** Operators with arguments the validator can check when they are written as literals. */
type CheckedOperator =
  | 'var'
  | 'missing'
  | 'missing_some'
  | 'in'
  | 'substr'
  | 'timestamp'
  | 'days_since';
const CHECKED_OPERATORS: ReadonlySet<string> = new Set<CheckedOperator>([
  'var',
  'missing',
  'missing_some',
  'in',
  'substr',
  'timestamp',
  'days_since',
]);

function isCheckedOperator(op: OperatorName): op is CheckedOperator {
  return CHECKED_OPERATORS.has(op);
}

/**
 * A var path or a missing key: a string or a number, with no unsafe segment. A var path
 * may also be null, which (like "") reads the whole data.
 */
function checkPath(path: unknown, at: string, walk: Walk, kind: 'path' | 'key'): void {
  if (typeof path === 'number' || (path === null && kind === 'path')) return;
  if (typeof path === 'string') {
    const unsafe = unsafeSegment(path);
    if (unsafe !== undefined) {
      report(walk, at, 'unsafe_path', `The path "${path}" uses "${unsafe}", which is not allowed.`);
    }

    return;
  }
  report(
    walk,
    at,
    'invalid_argument',
    `A ${kind === 'path' ? 'var path' : 'key'} is a string or a number.`,
  );
  // json-logic-js reads an array path as its items joined with commas; whatever the
  // intent, refuse the unsafe names in it too.
  if (Array.isArray(path)) {
    for (const item of path) {
      const unsafe = typeof item === 'string' ? unsafeSegment(item) : undefined;
      if (unsafe !== undefined) {
        report(walk, at, 'unsafe_path', `The path uses "${unsafe}", which is not allowed.`);
      }
    }
  }
}

function checkTimestamp(value: unknown, at: string, walk: Walk): void {
  if (typeof value === 'number') return;
  if (typeof value === 'string' && parseTimestamp(value) !== null) return;
  report(
    walk,
    at,
    'invalid_argument',
    'A timestamp is epoch milliseconds or an ISO-8601 / "YYYY-MM-DD HH:MM:SS" string.',
  );
}
