import { type RuleIssue } from '@profile-groups/rules';

import { type FieldErrors } from './domain-error';

/** Rule issues as 422 field errors, each under the JSON path of the offending part. */
export function issuesToFieldErrors(field: string, issues: readonly RuleIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const path = issue.path === '' ? field : `${field}.${issue.path}`;
    (errors[path] ??= []).push(issue.message);
  }

  return errors;
}
