import {
  type ArgumentDeclaration,
  type EffectiveRule,
  type GroupRuleAttributes,
  type JsonObject,
  type JsonValue,
} from '@profile-groups/contracts';
import { argumentsUsed, resolveRule, type RuleIssue } from '@profile-groups/rules';

import { type FieldErrors } from '../shared/domain-error';
import { type RuleDefinitionState } from '../rule-definition/rule-definition.state';

export type Resolution =
  | { ok: true; effective: EffectiveRule }
  | { ok: false; errors: FieldErrors };

/**
 * The effective rule of a group rule: its template (or inline rule) with every
 * {"arg": name} replaced by the rule's value, else the group's default, else the
 * declaration's default. Pure, so the decider and the worker resolve alike.
 */
export function resolveGroupRule(
  rule: GroupRuleAttributes,
  groupDefaults: JsonObject | null,
  template: RuleDefinitionState | null,
): Resolution {
  const source = ruleSource(rule, template);
  if ('errors' in source) return { ok: false, errors: source.errors };

  const values: Record<string, JsonValue> = {};
  for (const declaration of source.declarations) {
    if (groupDefaults !== null && Object.hasOwn(groupDefaults, declaration.name)) {
      values[declaration.name] = groupDefaults[declaration.name] ?? null;
    }
  }
  for (const { name, value } of rule.arguments) values[name] = value;

  const resolved = resolveRule(source.rule, source.declarations, values);
  if (resolved.issues.length > 0) return { ok: false, errors: resolutionErrors(resolved.issues) };

  const used: JsonObject = {};
  for (const declaration of source.declarations) {
    const value = values[declaration.name] ?? declaration.default;
    if (value !== undefined) used[declaration.name] = value;
  }

  return {
    ok: true,
    effective: {
      handle: template?.attributes.handle ?? null,
      evaluator: 'jsonlogic',
      rule: resolved.rule,
      name: rule.name ?? template?.attributes.name ?? null,
      arguments: used,
      rule_definition_version: template?.version ?? null,
    },
  };
}

/** Issues about argument values are named by argument; the rest by their place in the rule. */
const ARGUMENT_VALUE_CODES = new Set(['unknown_argument', 'missing_argument', 'argument_type']);

function resolutionErrors(issues: readonly RuleIssue[]): FieldErrors {
  // A missing argument also leaves its placeholder unresolved: say it once.
  const missing = issues.some((issue) => issue.code === 'missing_argument');
  const errors: FieldErrors = {};
  for (const issue of issues) {
    if (missing && issue.code === 'unresolved_argument') continue;
    const field = ARGUMENT_VALUE_CODES.has(issue.code) ? 'arguments' : 'rule';
    const path = issue.path === '' ? field : `${field}.${issue.path}`;
    (errors[path] ??= []).push(issue.message);
  }

  return errors;
}

function ruleSource(
  rule: GroupRuleAttributes,
  template: RuleDefinitionState | null,
): { rule: JsonValue; declarations: ArgumentDeclaration[] } | { errors: FieldErrors } {
  if (rule.group_rule_definition_id !== null) {
    if (rule.rule !== null) {
      return { errors: { rule: ['Give either group_rule_definition_id or rule, not both.'] } };
    }
    if (template === null || template.deleted || template.id !== rule.group_rule_definition_id) {
      return {
        errors: {
          group_rule_definition_id: [`Rule definition ${rule.group_rule_definition_id} not found.`],
        },
      };
    }

    return { rule: template.attributes.rule, declarations: template.attributes.arguments };
  }
  if (rule.rule === null) {
    return { errors: { rule: ['A rule needs a group_rule_definition_id or an inline rule.'] } };
  }
  // An inline rule declares nothing: each placeholder it uses must get a value.
  const declarations = argumentsUsed(rule.rule).map(
    (name): ArgumentDeclaration => ({ name, type: 'any', required: true }),
  );

  return { rule: rule.rule, declarations };
}
