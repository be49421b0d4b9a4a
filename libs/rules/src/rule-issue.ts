/**
 * One reason a rule (or a template, or its argument values) is refused. `path` is dotted
 * from the root of what was checked, array indexes as numbers ("and.1.in.0.var"); an
 * issue about an operation sits at the operation's arguments ("and.1.=="); "" is the root.
 */
export interface RuleIssue {
  path: string;
  code: string;
  message: string;
}

/** Stable codes of the issues validateRule reports. */
export const RULE_ISSUE_CODES = [
  'unknown_operator',
  'arity',
  'invalid_argument',
  'unsafe_path',
  'object_literal',
  'not_json',
  'non_finite_number',
  'too_deep',
  'too_costly',
  'too_large',
  'unresolved_argument',
] as const;
export type RuleIssueCode = (typeof RULE_ISSUE_CODES)[number];

export class RuleValidationError extends Error {
  constructor(readonly issues: RuleIssue[]) {
    super(
      issues.length === 0
        ? 'The rule is invalid.'
        : `The rule is invalid: ${issues
            .slice(0, 3)
            .map((issue) => `${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`)
            .join('; ')}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''}`,
    );
    this.name = 'RuleValidationError';
  }
}

export function joinPath(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}
