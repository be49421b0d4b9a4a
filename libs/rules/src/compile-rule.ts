import { type EvaluationContext } from './evaluation-context';
import { type Explanation } from './explain';
import { copyJson, type JsonValue } from './json-value';
import { JsonLogicRule } from './json-logic-rule';
import { type RuleLimits, resolveLimits } from './limits';
import { withGenerationBudget } from './property-reader';
import { RuleValidationError } from './rule-issue';
import { buildNode, RULE_OPTIONS } from './rule-node';
import { validateRule } from './validate-rule';

export interface CompiledRule {
  /** The rule as compiled: a frozen copy. */
  readonly rule: JsonValue;
  /** Whether the rule contains a time operator (now, timestamp, days_since). */
  readonly usesTime: boolean;
  /**
   * What json-logic-js's apply(rule, data) returns; throws an EvaluationError where it
   * throws, and with code `budget_exceeded` past the evaluation budget (maxSteps).
   * Constant parts of the result (a literal object) may be shared and frozen.
   */
  evaluate(data: unknown, context: EvaluationContext): unknown;
  /** JSONLogic truthiness of evaluate(); an evaluation that throws does not match. */
  matches(data: unknown, context: EvaluationContext): boolean;
  /** evaluate() with the value of every sub-expression; see TraceNode. */
  explain(data: unknown, context: EvaluationContext): Explanation;
  /**
   * The earliest instant after context.now (epoch ms) at which time alone can change
   * matches() for this data, or null if it never can (always null without a time operator).
   * It may take NEXT_CHANGE_BUDGETS evaluation budgets; spent, it returns the last instant
   * it settled, or throws the `budget_exceeded` EvaluationError if it settled none.
   */
  nextChange(data: unknown, context: EvaluationContext): number | null;
}

export interface CompileRuleOptions {
  limits?: Partial<RuleLimits>;
  /** As in validateRule: false compiles a rule that is too_costly, to run within budget. */
  checkCost?: boolean;
}

/** Validates a rule (throwing RuleValidationError) and compiles it for many evaluations. */
export function compileRule(rule: unknown, options: CompileRuleOptions = {}): CompiledRule {
  const limits = resolveLimits(options.limits);
  const issues = validateRule(rule, { limits, checkCost: options.checkCost });
  if (issues.length > 0) throw new RuleValidationError(issues);
  const frozen = copyJson(rule as JsonValue, true);

  return withGenerationBudget(
    () => new JsonLogicRule(frozen, buildNode(frozen, RULE_OPTIONS), limits.maxSteps),
  );
}
