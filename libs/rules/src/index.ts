export {
  ARGUMENT_ISSUE_CODES,
  ARGUMENT_TYPES,
  type ArgumentDeclaration,
  type ArgumentIssueCode,
  type ArgumentType,
  argumentsUsed,
  resolveRule,
  type ResolvedRule,
  validateArgumentDeclarations,
} from './arguments';
export { type CompiledRule, compileRule, type CompileRuleOptions } from './compile-rule';
export { type EvaluationContext } from './evaluation-context';
export {
  EVALUATION_ERROR_CODES,
  EvaluationError,
  type EvaluationErrorCode,
} from './evaluation-error';
export { type Explanation, type TraceNode } from './explain';
export { type JsonValue } from './json-value';
export { DEFAULT_RULE_LIMITS, type RuleLimits } from './limits';
export { CLASSIC_OPERATORS, type OperatorName, TIME_OPERATORS } from './operators';
export {
  RULE_ISSUE_CODES,
  type RuleIssue,
  type RuleIssueCode,
  RuleValidationError,
} from './rule-issue';
export { parseTimestamp } from './time';
export { isTruthy } from './truthiness';
export { validateRule, type ValidateRuleOptions } from './validate-rule';
