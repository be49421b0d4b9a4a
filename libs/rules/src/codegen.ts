import { charge, operand } from './evaluation-budget';
import { type Evaluator } from './evaluation-context';
import { type OperatorName } from './operators';
import { mayGenerate, type PathReader, pathReader } from './property-reader';
import { compileIterator, constantOf, type OperationNode, type RuleNode } from './rule-node';
import { contains, lessOrEqual, lessThan, pathSegments, subtract, toFloat } from './semantics';
import { isTruthy } from './truthiness';

/*
 * A whole rule as one generated JavaScript function, for evaluate() and matches(). The
 * closure tree (RuleNode.fn) gives the same results; it serves explain(), nextChange() and
 * every operator this generator leaves alone, which it calls. One function per rule lets
 * V8 keep each of its call and property sites to what that rule sees, where the closures'
 * shared code sees every rule's.
 *
 * What makes this safe: no text from the rule enters the source but an operator symbol
 * already matched against the fixed operator list (`==`, `/`, ...) and, in
 * property-reader.ts, path segments passed through JSON.stringify (complete string
 * literals). Constants are read from an array (K), never written into the code, and the
 * code only comes from the templates below, chosen by operator.
 *
 * The code stays flat however many arguments an operation has: `and`, `or` and `if` are
 * chains of `&&` / `||`, which V8 parses and compiles without recursing per argument,
 * where nested conditional expressions overflow its stack past about 1,500 arguments.
 * Variadic operators the generator leaves alone run as closures, which loop.
 *
 * The evaluation budget (evaluation-budget.ts) is charged where the closures charge it:
 * P for a value a comparison or arithmetic may convert (unless it is surely a primitive),
 * C for an array `in` searches; iterators, F, S, L, LE and IN charge inside.
 */

interface Emitter {
  readonly constants: unknown[];
  readonly closures: Evaluator[];
  readonly readers: PathReader[];
  temporaries: number;
}

const HELPERS = {
  P: operand,
  C: charge,
  T: isTruthy,
  F: toFloat,
  S: subtract,
  L: lessThan,
  LE: lessOrEqual,
  IN: contains,
};

export function generateEvaluator(root: RuleNode): Evaluator {
  const emitter: Emitter = { constants: [], closures: [], readers: [], temporaries: 0 };
  const body = emit(root, emitter);
  const temporaries = Array.from({ length: emitter.temporaries }, (_, i) => `t${i}`);
  const source = `"use strict";
  return function rule(d, c) {
    ${temporaries.length > 0 ? `let ${temporaries.join(', ')};` : ''}
    return ${body};
  };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see the comment at the top
  const factory = new Function('K', 'N', 'R', ...Object.keys(HELPERS), source) as (
    ...dependencies: unknown[]
  ) => Evaluator;

  return factory(emitter.constants, emitter.closures, emitter.readers, ...Object.values(HELPERS));
}

function constant(value: unknown, emitter: Emitter): string {
  emitter.constants.push(value);

  return `K[${emitter.constants.length - 1}]`;
}

function closure(node: RuleNode, emitter: Emitter): string {
  emitter.closures.push(node.fn);

  return `N[${emitter.closures.length - 1}](d, c)`;
}

function temporary(emitter: Emitter): string {
  return `t${emitter.temporaries++}`;
}

function emit(node: RuleNode, emitter: Emitter): string {
  switch (node.kind) {
    case 'literal':
      return constant(node.value, emitter);
    case 'array':
      // A constant array is copied on each evaluation: its closure does that.
      return node.constant === undefined
        ? `[${node.items.map((item) => emit(item, emitter)).join(', ')}]`
        : closure(node, emitter);
    case 'operation':
      return emitOperation(node, emitter) ?? closure(node, emitter);
  }
}

/** The operators written inline; undefined leaves the node to its closure. */
function emitOperation(node: OperationNode, emitter: Emitter): string | undefined {
  const { args } = node;
  const each = () => args.map((arg) => emit(arg, emitter));
  switch (node.operator) {
    case 'var':
      return emitVar(node, emitter);
    case '==':
    case '===':
    case '!=':
    case '!==':
    case '>':
    case '>=':
    case '<':
    case '<=': {
      if (args.length === 2) {
        const strict = node.operator === '===' || node.operator === '!==';
        const [a, b] = args.map((arg) =>
          strict ? emit(arg, emitter) : emitOperand(arg, emitter),
        ) as [string, string];

        return `(${a} ${node.operator} ${b})`;
      }
      if (args.length === 3 && (node.operator === '<' || node.operator === '<=')) {
        const [a, b, c] = each() as [string, string, string];

        return `${node.operator === '<' ? 'L' : 'LE'}(${a}, ${b}, ${c})`;
      }

      return undefined;
    }
    case '!':
    case '!!':
      return args.length === 1
        ? `${node.operator === '!' ? '!' : ''}T(${emit(args[0] as RuleNode, emitter)})`
        : undefined;
    case 'and':
    case 'or':
      return emitLogical(node.operator, args, emitter);
    case 'if':
    case '?:':
      return emitIf(args, emitter);
    case 'in':
      return emitIn(args, emitter);
    case '+':
      return args.length === 1 || args.length === 2
        ? `(0 + ${each()
            .map((value) => `F(${value})`)
            .join(' + ')})`
        : undefined;
    case '-':
      return args.length === 1 || args.length === 2
        ? `S(${each().join(', ')}${args.length === 1 ? ', undefined' : ''})`
        : undefined;
    case '*':
      if (args.length === 1) return emit(args[0] as RuleNode, emitter);

      return args.length === 2
        ? `(${each()
            .map((value) => `F(${value})`)
            .join(' * ')})`
        : undefined;
    case '/':
    case '%':
      return args.length === 2
        ? `(${args.map((arg) => emitOperand(arg, emitter)).join(` ${node.operator} `)})`
        : undefined;
    case 'now':
      return args.length === 0 ? 'c.now' : undefined;
    case 'map':
    case 'filter':
    case 'reduce':
    case 'all':
    case 'none':
    case 'some': {
      // The loop stays a closure; what it runs per item is generated code of its own, while
      // the compilation may still generate functions.
      const generated = args.map(
        (arg): RuleNode =>
          arg.kind === 'literal' || !mayGenerate() ? arg : { ...arg, fn: generateEvaluator(arg) },
      );
      emitter.closures.push(compileIterator(node.operator, generated));

      return `N[${emitter.closures.length - 1}](d, c)`;
    }
    case 'missing':
      return emitMissing(node, emitter);
    case 'missing_some':
    case 'max':
    case 'min':
    case 'merge':
    case 'cat':
    case 'substr':
    case 'log':
    case 'timestamp':
    case 'days_since':
    case undefined:
      return undefined;
  }
}

function emitVar(node: OperationNode, emitter: Emitter): string | undefined {
  const { args } = node;
  if (args.length > 2) return undefined;
  const path = args.length === 0 ? { value: undefined } : constantOf(args[0]);
  const fallbackNode = args[1];
  const fallback = fallbackNode === undefined ? { value: undefined } : constantOf(fallbackNode);
  if (path === undefined || fallback === undefined || fallbackNode?.kind === 'array') {
    return undefined;
  }
  const p = path.value;
  if (p === undefined || p === '' || p === null) return 'd';
  if (typeof p !== 'string' && typeof p !== 'number' && typeof p !== 'boolean') return undefined;
  let segments: string[];
  try {
    segments = pathSegments(p);
  } catch {
    return undefined;
  }
  emitter.readers.push(pathReader(segments));
  const value = temporary(emitter);
  const notFound = constant(fallback.value === undefined ? null : fallback.value, emitter);

  return `(${value} = R[${emitter.readers.length - 1}](d), ${value} === undefined ? ${notFound} : ${value})`;
}

/** A value an operator converts to a primitive: P charges an array's text. */
function emitOperand(node: RuleNode, emitter: Emitter): string {
  const code = emit(node, emitter);

  return constantOf(node) !== undefined || yieldsPrimitive(node) ? code : `P(${code})`;
}

// Operators whose value is never an array (`*` of one argument returns it as it is).
const PRIMITIVE_RESULTS: ReadonlySet<string> = new Set<OperatorName>([
  '==',
  '===',
  '!=',
  '!==',
  '>',
  '>=',
  '<',
  '<=',
  '!',
  '!!',
  '+',
  '-',
  '/',
  '%',
  'max',
  'min',
  'in',
  'cat',
  'substr',
  'all',
  'none',
  'some',
  'now',
  'timestamp',
  'days_since',
]);

/** Whether a node's value is never an array (so converting it costs nothing to speak of). */
function yieldsPrimitive(node: RuleNode): boolean {
  if (node.kind !== 'operation' || node.operator === undefined) return false;

  return PRIMITIVE_RESULTS.has(node.operator) || (node.operator === '*' && node.args.length !== 1);
}

/**
 * and: the first falsy value or the last; or: the first truthy value or the last. A chain
 * `(T(t = a) && T(t = b) && ..., t)` stops at the deciding value and leaves it in t.
 */
function emitLogical(op: 'and' | 'or', args: readonly RuleNode[], emitter: Emitter): string {
  if (args.length === 0) return 'undefined';
  if (args.length === 1) return emit(args[0] as RuleNode, emitter);
  const value = temporary(emitter);
  const tests = args.map((arg) => `T(${value} = ${emit(arg, emitter)})`);

  return `(${tests.join(op === 'and' ? ' && ' : ' || ')}, ${value})`;
}

/**
 * if: pairs of condition and value, then an optional else; null without one. Past one
 * pair, a chain of branches that each set the result and stop it when they match.
 */
function emitIf(args: readonly RuleNode[], emitter: Emitter): string {
  const code = args.map((arg) => emit(arg, emitter));
  if (code.length === 0) return 'null';
  if (code.length === 1) return code[0] as string;
  if (code.length <= 3) return `(T(${code[0]}) ? ${code[1]} : ${code[2] ?? 'null'})`;
  const result = temporary(emitter);
  const branches: string[] = [];
  for (let i = 0; i + 1 < code.length; i += 2) {
    branches.push(`(T(${code[i]}) ? (${result} = ${code[i + 1]}, true) : false)`);
  }
  const otherwise = code.length % 2 === 1 ? code[code.length - 1] : 'null';

  return `(${branches.join(' || ')} || (${result} = ${otherwise}, true), ${result})`;
}

function emitIn(args: readonly RuleNode[], emitter: Emitter): string | undefined {
  if (args.length !== 2) return undefined;
  const haystack = constantOf(args[1]);
  const needle = emit(args[0] as RuleNode, emitter);
  if (haystack !== undefined && Array.isArray(haystack.value)) {
    const list = haystack.value as unknown[];
    // A Set matches by SameValueZero, indexOf by ===: they differ on NaN only.
    if (list.length > 8 && !list.some((item) => Number.isNaN(item))) {
      return `${constant(new Set(list), emitter)}.has(${needle})`;
    }

    if (list.length === 0) return `(${needle}, false)`;
    // indexOf's comparison, ===, written out for a short list.
    const item = temporary(emitter);
    const tests = list.map((value) => `${item} === ${constant(value, emitter)}`);

    return `(${item} = ${needle}, ${tests.join(' || ')})`;
  }

  const list = temporary(emitter);
  const item = temporary(emitter);

  // An array in data, as in {"in": ["vip", {"var": "tags"}]}: its indexOf, without a call.
  return `(${item} = ${needle}, ${list} = ${emit(args[1] as RuleNode, emitter)}, Array.isArray(${list}) ? (C(${list}.length), ${list}.indexOf(${item}) !== -1) : IN(${item}, ${list}))`;
}

/** missing of fixed keys: each key whose value is not found, null or "", in order. */
function emitMissing(node: OperationNode, emitter: Emitter): string | undefined {
  const constants = node.args.map(constantOf);
  if (!constants.every((item) => item !== undefined)) return undefined;
  const values = constants.map((item) => item.value);
  const keys = Array.isArray(values[0]) ? (values[0] as unknown[]) : values;
  const readers: number[] = [];
  for (const key of keys) {
    if ((typeof key !== 'string' && typeof key !== 'number') || key === '') return undefined;
    let segments: string[];
    try {
      segments = pathSegments(key);
    } catch {
      return undefined;
    }
    emitter.readers.push(pathReader(segments));
    readers.push(emitter.readers.length - 1);
  }
  const absent = temporary(emitter);
  const value = temporary(emitter);
  const checks = readers.map(
    (reader, i) =>
      `(${value} = R[${reader}](d), ${value} === undefined || ${value} === null || ${value} === '' ? ${absent}.push(${constant(keys[i], emitter)}) : 0)`,
  );

  return `(${[`${absent} = []`, ...checks, absent].join(', ')})`;
}
