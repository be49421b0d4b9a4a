import { type CompiledRule } from './compile-rule';
import { meter } from './evaluation-budget';
import { EvaluationError } from './evaluation-error';
import { type EvaluationContext, type Evaluator } from './evaluation-context';
import { generateEvaluator } from './codegen';
import { type Explanation, explainNode } from './explain';
import { type JsonValue } from './json-value';
import { DEFAULT_RULE_LIMITS, NEXT_CHANGE_BUDGETS } from './limits';
import { nextChange } from './next-change';
import { buildNode, RULE_OPTIONS, type RuleNode } from './rule-node';
import { isTruthy } from './truthiness';

/**
 * Compiles without validating: json-logic-js semantics for any rule shape, including what
 * the validator refuses. Not exported from the library; tests use it to hold the engine to
 * json-logic-js on such rules too.
 */
export function compileUnchecked(rule: unknown): CompiledRule {
  return new JsonLogicRule(rule as JsonValue, buildNode(rule, RULE_OPTIONS));
}

/**
 * Each entry point runs with the meter (evaluation-budget.ts) set to its budget less the
 * rule's size, and leaves it unlimited again. Entry points do not nest: data is JSON,
 * with no getter that could run a rule in the middle of another.
 */
export class JsonLogicRule implements CompiledRule {
  readonly usesTime: boolean;
  private readonly fn: Evaluator;
  /** What is left of the budget once the rule's own size is paid. */
  private readonly afterSize: number;

  constructor(
    readonly rule: JsonValue,
    private readonly root: RuleNode,
    private readonly maxSteps: number = DEFAULT_RULE_LIMITS.maxSteps,
  ) {
    this.usesTime = root.usesTime;
    this.fn = generateEvaluator(root);
    this.afterSize = maxSteps - root.size;
  }

  evaluate(data: unknown, context: EvaluationContext): unknown {
    if (this.usesTime) checkContext(context);
    meter.limit = this.maxSteps;
    meter.left = this.afterSize;
    let value: unknown;
    try {
      value = this.fn(data, context);
    } catch (error) {
      this.finish(context, this.maxSteps);
      throw EvaluationError.from(error);
    }
    this.finish(context, this.maxSteps);

    return value;
  }

  matches(data: unknown, context: EvaluationContext): boolean {
    meter.limit = this.maxSteps;
    meter.left = this.afterSize;
    let matched: boolean;
    try {
      if (this.usesTime) checkContext(context);
      matched = isTruthy(this.fn(data, context));
    } catch {
      matched = false;
    }
    this.finish(context, this.maxSteps);

    return matched;
  }

  explain(data: unknown, context: EvaluationContext): Explanation {
    if (this.usesTime) {
      try {
        checkContext(context);
      } catch (error) {
        const { code, message } = error as EvaluationError;

        return {
          result: undefined,
          matched: false,
          trace: { op: 'literal', value: undefined, error: message },
          error: message,
          errorCode: code,
        };
      }
    }

    return this.metered(this.maxSteps, context, () => explainNode(this.root, data, context));
  }

  nextChange(data: unknown, context: EvaluationContext): number | null {
    if (!this.usesTime) return null;
    checkContext(context);

    return this.metered(this.maxSteps * NEXT_CHANGE_BUDGETS, context, () =>
      nextChange(this.root, data, context),
    );
  }

  private metered<T>(budget: number, context: EvaluationContext, run: () => T): T {
    meter.limit = budget;
    meter.left = budget - this.root.size;
    try {
      return run();
    } finally {
      this.finish(context, budget);
    }
  }

  /** Adds the steps just taken to the context's usage, if it keeps one; unlimits the meter. */
  private finish(context: EvaluationContext | undefined, budget: number): void {
    const usage = context?.usage;
    if (usage !== undefined) usage.steps += budget - meter.left;
    meter.left = Infinity;
  }
}

function checkContext(context: EvaluationContext | undefined): void {
  if (typeof context?.now !== 'number' || !Number.isFinite(context.now)) {
    throw new EvaluationError(
      'invalid_context',
      'The rule reads the time: the context needs a finite `now` (epoch milliseconds).',
    );
  }
}
