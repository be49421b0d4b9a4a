import { type RuleIssue, validateRule } from '@profile-groups/rules';

import { type FieldErrors } from './domain-error';

/**
 * Problems found in a request, by JSON path: `errors` holds the messages people read,
 * `codes` the stable machine codes of the rule problems among them (e.g.
 * `unknown_operator`, `unsafe_path`), so that a client can branch without parsing text.
 */
export interface FieldIssues {
  readonly errors: FieldErrors;
  readonly codes: FieldErrors;
}

export const NO_ISSUES: FieldIssues = { errors: {}, codes: {} };

/** Rule issues as field issues, each under the JSON path of the offending part. */
export function ruleFieldIssues(
  field: string,
  issues: readonly RuleIssue[],
  fieldOf: (issue: RuleIssue) => string = () => field,
): FieldIssues {
  const errors: FieldErrors = {};
  const codes: FieldErrors = {};
  for (const issue of issues) {
    const base = fieldOf(issue);
    const path = issue.path === '' ? base : `${base}.${issue.path}`;
    (errors[path] ??= []).push(issue.message);
    (codes[path] ??= []).push(issue.code);
  }

  return { errors, codes };
}

export function mergeIssues(...parts: readonly FieldIssues[]): FieldIssues {
  const errors: FieldErrors = {};
  const codes: FieldErrors = {};
  for (const part of parts) {
    for (const [path, messages] of Object.entries(part.errors)) {
      (errors[path] ??= []).push(...messages);
    }
    for (const [path, list] of Object.entries(part.codes)) (codes[path] ??= []).push(...list);
  }

  return { errors, codes };
}

export function hasIssues(issues: FieldIssues): boolean {
  return Object.keys(issues.errors).length > 0;
}

/**
 * A rule a group stores (a group rule, a rule definition, a query) must be an
 * operation: the engine takes a bare value as a constant, so `"true"` sent by mistake
 * would match every profile, and `0` none.
 */
export function validateStoredRule(
  field: string,
  rule: unknown,
  options: { allowArgs?: boolean } = {},
): FieldIssues {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    return {
      errors: {
        [field]: [
          'A rule is a JSONLogic operation, an object such as {"==": [{"var": "tier"}, "gold"]}; a bare value would match every profile or none.',
        ],
      },
      codes: { [field]: ['not_an_operation'] },
    };
  }

  return ruleFieldIssues(field, validateRule(rule, options));
}
