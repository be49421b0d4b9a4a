export {
  ARGUMENT_ISSUE_CODES,
  ARGUMENT_TYPES,
  type ArgumentDeclaration,
  type ArgumentIssueCode,
  type ArgumentType,
  argumentsUsed,
  nonFiniteNumberIssues,
  resolveRule,
  type ResolvedRule,
  validateArgumentDeclarations,
  validateDefaults,
} from './arguments';
export { type CompiledRule, compileRule, type CompileRuleOptions } from './compile-rule';
export { type EvaluationContext, type EvaluationUsage } from './evaluation-context';
export {
  EVALUATION_ERROR_CODES,
  EvaluationError,
  type EvaluationErrorCode,
} from './evaluation-error';
export { type Explanation, MAX_TRACE_NODES, type TraceNode } from './explain';
export { type JsonValue } from './json-value';
export { DEFAULT_RULE_LIMITS, NEXT_CHANGE_BUDGETS, type RuleLimits } from './limits';
export { CLASSIC_OPERATORS, type OperatorName, TIME_OPERATORS } from './operators';
export {
  RULE_ISSUE_CODES,
  type RuleIssue,
  type RuleIssueCode,
  RuleValidationError,
} from './rule-issue';
export { parseTimestamp } from './time';
export { isTruthy } from './truthiness';
export { isArgumentName, validateRule, type ValidateRuleOptions } from './validate-rule';
