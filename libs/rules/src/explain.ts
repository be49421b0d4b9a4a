import { charge } from './evaluation-budget';
import { EvaluationError, type EvaluationErrorCode } from './evaluation-error';
import { type EvaluationContext } from './evaluation-context';
import { type IteratorOperator } from './operators';
import {
  eagerOperator,
  isSpecialOperator,
  iterationCost,
  reduceInitial,
  type RuleNode,
} from './rule-node';
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
 * - A trace holds about MAX_TRACE_NODES nodes at most (the operations being traced when
 *   they run out still list all their arguments). Past that, sub-expressions are evaluated
 *   without a trace: such a node has `truncated: true`, its value and no args, and an
 *   iterator's logic stops listing iterations (and has `truncated: true`).
 */
export interface TraceNode {
  op: string;
  value: unknown;
  args?: TraceNode[];
  skipped?: true;
  iterations?: TraceNode[];
  truncated?: true;
  error?: string;
}

/** Enough for a whole rule (maxNodes) and then some iterations; a trace is sent as JSON. */
// TODO: this bounds the number of trace nodes, not the size of their values: a long array
// from the profile carried through every step of a reduce appears in each step's trace,
// so an explain response can still run to megabytes for such a rule.
export const MAX_TRACE_NODES = 10_000;

// Trace nodes the running explain() may still add. explain() is synchronous, so one
// counter serves; explainNode sets it and puts back what it held.
let traceLeft = 0;

export interface Explanation {
  result: unknown;
  matched: boolean;
  trace: TraceNode;
  error?: string;
  /** The EvaluationError's code when evaluation threw, e.g. `budget_exceeded`. */
  errorCode?: EvaluationErrorCode;
}

export function explainNode(
  root: RuleNode,
  data: unknown,
  context: EvaluationContext,
): Explanation {
  const sink: TraceNode[] = [];
  const outer = traceLeft;
  traceLeft = MAX_TRACE_NODES;
  try {
    const result = traceInto(root, data, context, sink);

    return { result, matched: isTruthy(result), trace: sink[0] as TraceNode };
  } catch (error) {
    const { code, message } = EvaluationError.from(error);

    return {
      result: undefined,
      matched: false,
      trace: sink[0] ?? { op: label(root), value: undefined, error: message },
      error: message,
      errorCode: code,
    };
  } finally {
    traceLeft = outer;
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

/** A node of the trace that is not traced further; it counts against the trace's size. */
function placeholder(node: TraceNode): TraceNode {
  traceLeft--;

  return node;
}

function skipped(node: RuleNode): TraceNode {
  return placeholder({ op: label(node), value: undefined, skipped: true });
}

/**
 * Evaluates a node, appending its trace to sink first so a failure leaves it in place.
 * Each node traced is charged to the budget (a constant by its size, as it is copied), so
 * a trace is never larger than the budget.
 */
function traceInto(
  node: RuleNode,
  data: unknown,
  context: EvaluationContext,
  sink: TraceNode[],
): unknown {
  charge(node.kind === 'array' && node.constant !== undefined ? node.size : 1);
  const trace: TraceNode = { op: label(node), value: undefined };
  sink.push(trace);
  const traced = traceLeft-- > 0;
  if (!traced) trace.truncated = true;
  try {
    // Untraced, the node runs as evaluate() would run it, charging as that does.
    const value = traced ? traceValue(node, data, context, trace) : node.fn(data, context);
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
  if (logic !== undefined) {
    args.push(placeholder({ op: label(logic), value: undefined, iterations: runs }));
  }
  const initialNode = op === 'reduce' ? reduceInitial(nodes) : undefined;
  const initial = initialNode === undefined ? null : traceInto(initialNode, data, context, args);
  nodes.slice(initialNode === undefined ? 2 : 3).forEach((node) => args.push(skipped(node)));
  const cost = iterationCost(nodes);
  let untraced = 0;
  const run = (item: unknown) => {
    if (logic === undefined) return undefined;
    if (traceLeft > 0) return traceInto(logic, item, context, runs);
    // Past the trace's size, the remaining items run untraced, charged as evaluate() does.
    untraced++;
    (args[1] as TraceNode).truncated = true;
    charge(cost);

    return logic.fn(item, context);
  };
  const result = iterate(op, items, initial, run);
  if (runs.length === 0 && untraced === 0 && logic !== undefined) {
    (args[1] as TraceNode).skipped = true;
  }

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
