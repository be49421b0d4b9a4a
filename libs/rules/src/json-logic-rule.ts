import { type CompiledRule } from './compile-rule';
import { EvaluationError } from './evaluation-error';
import { type EvaluationContext, type Evaluator } from './evaluation-context';
import { generateEvaluator } from './codegen';
import { type Explanation, explainNode } from './explain';
import { type JsonValue } from './json-value';
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

export class JsonLogicRule implements CompiledRule {
  readonly usesTime: boolean;
  private readonly fn: Evaluator;

  constructor(
    readonly rule: JsonValue,
    private readonly root: RuleNode,
  ) {
    this.usesTime = root.usesTime;
    this.fn = generateEvaluator(root);
  }

  evaluate(data: unknown, context: EvaluationContext): unknown {
    if (this.usesTime) checkContext(context);
    try {
      return this.fn(data, context);
    } catch (error) {
      throw EvaluationError.from(error);
    }
  }

  matches(data: unknown, context: EvaluationContext): boolean {
    try {
      if (this.usesTime) checkContext(context);

      return isTruthy(this.fn(data, context));
    } catch {
      return false;
    }
  }

  explain(data: unknown, context: EvaluationContext): Explanation {
    if (this.usesTime) {
      try {
        checkContext(context);
      } catch (error) {
        const message = (error as EvaluationError).message;

        return {
          result: undefined,
          matched: false,
          trace: { op: 'literal', value: undefined, error: message },
          error: message,
        };
      }
    }

    return explainNode(this.root, data, context);
  }

  nextChange(data: unknown, context: EvaluationContext): number | null {
    if (!this.usesTime) return null;
    checkContext(context);

    return nextChange(this.root, data, context);
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
