import { EvaluationError } from './evaluation-error';
import { type EvaluationContext } from './evaluation-context';
import { type IteratorOperator } from './operators';
import { eagerOperator, isSpecialOperator, reduceInitial, type RuleNode } from './rule-node';
import { isTruthy } from './truthiness';

/**
 * One evaluated sub-expression. `op` is the operator, 'literal' for a constant (a
 * constant array too) or 'array' for an array with operations in it; `value` is what the
 * sub-expression gave. `args` follow the rule's arguments one for one (`{"var": "a"}` has
 * one argument, "a").
 * - An argument never evaluated (a branch `if`, `and` or `or` cut short, the items an
 *   iterator stopped before) has `skipped: true` and no value.
 * - The logic of an iterator runs once per item with the item as data: its node has no
 *   value of its own and lists those runs in `iterations` (`skipped` when there were none).
 * - Where evaluation threw, every node from the root down to the failing one has `error`.
 */
export interface TraceNode {
  op: string;
  value: unknown;
  args?: TraceNode[];
  skipped?: true;
  iterations?: TraceNode[];
  error?: string;
}

export interface Explanation {
  result: unknown;
  matched: boolean;
  trace: TraceNode;
  error?: string;
}

export function explainNode(
  root: RuleNode,
  data: unknown,
  context: EvaluationContext,
): Explanation {
  const sink: TraceNode[] = [];
  try {
    const result = traceInto(root, data, context, sink);

    return { result, matched: isTruthy(result), trace: sink[0] as TraceNode };
  } catch (error) {
    const message = EvaluationError.from(error).message;

    return {
      result: undefined,
      matched: false,
      trace: sink[0] ?? { op: label(root), value: undefined, error: message },
      error: message,
    };
  }
}

function label(node: RuleNode): string {
  switch (node.kind) {
    case 'literal':
      return 'literal';
    case 'array':
      return node.constant === undefined ? 'array' : 'literal';
    case 'operation':
      return node.op;
  }
}

function skipped(node: RuleNode): TraceNode {
  return { op: label(node), value: undefined, skipped: true };
}

/** Evaluates a node, appending its trace to sink first so a failure leaves it in place. */
function traceInto(
  node: RuleNode,
  data: unknown,
  context: EvaluationContext,
  sink: TraceNode[],
): unknown {
  const trace: TraceNode = { op: label(node), value: undefined };
  sink.push(trace);
  try {
    const value = traceValue(node, data, context, trace);
    trace.value = value;

    return value;
  } catch (error) {
    trace.error = EvaluationError.from(error).message;
    throw error;
  }
}

function traceValue(
  node: RuleNode,
  data: unknown,
  context: EvaluationContext,
  trace: TraceNode,
): unknown {
  if (node.kind === 'literal' || (node.kind === 'array' && node.constant !== undefined)) {
    return node.fn(data, context);
  }
  const args: TraceNode[] = [];
  trace.args = args;
  if (node.kind === 'array') {
    return node.items.map((item) => traceInto(item, data, context, args));
  }
  const { operator } = node;
  if (operator !== undefined && isSpecialOperator(operator)) {
    switch (operator) {
      case 'if':
      case '?:':
        return traceIf(node.args, data, context, args);
      case 'and':
      case 'or':
        return traceLogical(operator, node.args, data, context, args);
      case 'map':
      case 'filter':
      case 'reduce':
      case 'all':
      case 'none':
      case 'some':
        return traceIterator(operator, node.args, data, context, args);
    }
  }
  const values = node.args.map((arg) => traceInto(arg, data, context, args));
  if (operator === undefined) return node.fn(data, context);

  return eagerOperator(operator)(values, data, context);
}

function traceIf(
  nodes: readonly RuleNode[],
  data: unknown,
  context: EvaluationContext,
  args: TraceNode[],
): unknown {
  const rest = (from: number) => nodes.slice(from).forEach((node) => args.push(skipped(node)));
  let i = 0;
  for (; i < nodes.length - 1; i += 2) {
    if (isTruthy(traceInto(nodes[i] as RuleNode, data, context, args))) {
      const value = traceInto(nodes[i + 1] as RuleNode, data, context, args);
      rest(i + 2);

      return value;
    }
    args.push(skipped(nodes[i + 1] as RuleNode));
  }

  return nodes.length === i + 1 ? traceInto(nodes[i] as RuleNode, data, context, args) : null;
}

function traceLogical(
  op: 'and' | 'or',
  nodes: readonly RuleNode[],
  data: unknown,
  context: EvaluationContext,
  args: TraceNode[],
): unknown {
  let current: unknown;
  for (let i = 0; i < nodes.length; i++) {
    current = traceInto(nodes[i] as RuleNode, data, context, args);
    if (isTruthy(current) === (op === 'or')) {
      nodes.slice(i + 1).forEach((node) => args.push(skipped(node)));

      return current;
    }
  }

  return current;
}

function traceIterator(
  op: IteratorOperator,
  nodes: readonly RuleNode[],
  data: unknown,
  context: EvaluationContext,
  args: TraceNode[],
): unknown {
  const [source, logic] = nodes;
  const items = source === undefined ? undefined : traceInto(source, data, context, args);
  const runs: TraceNode[] = [];
  if (logic !== undefined) args.push({ op: label(logic), value: undefined, iterations: runs });
  const initialNode = op === 'reduce' ? reduceInitial(nodes) : undefined;
  const initial = initialNode === undefined ? null : traceInto(initialNode, data, context, args);
  nodes.slice(initialNode === undefined ? 2 : 3).forEach((node) => args.push(skipped(node)));
  const run = (item: unknown) =>
    logic === undefined ? undefined : traceInto(logic, item, context, runs);
  const result = iterate(op, items, initial, run);
  if (runs.length === 0 && logic !== undefined) (args[1] as TraceNode).skipped = true;

  return result;
}

function iterate(
  op: IteratorOperator,
  items: unknown,
  initial: unknown,
  run: (item: unknown) => unknown,
): unknown {
  switch (op) {
    case 'map':
      return Array.isArray(items) ? items.map((item) => run(item)) : [];
    case 'filter':
      return Array.isArray(items) ? items.filter((item) => isTruthy(run(item))) : [];
    case 'reduce':
      return Array.isArray(items)
        ? items.reduce(
            (accumulator: unknown, current: unknown) => run({ current, accumulator }),
            initial,
          )
        : initial;
    case 'all':
      if (!Array.isArray(items) || items.length === 0) return false;
      for (let i = 0; i < items.length; i++) if (!isTruthy(run(items[i]))) return false;

      return true;
    case 'none':
      if (!Array.isArray(items) || items.length === 0) return true;
      for (let i = 0; i < items.length; i++) if (isTruthy(run(items[i]))) return false;

      return true;
    case 'some':
      if (!Array.isArray(items) || items.length === 0) return false;
      for (let i = 0; i < items.length; i++) if (isTruthy(run(items[i]))) return true;

      return false;
  }
}
