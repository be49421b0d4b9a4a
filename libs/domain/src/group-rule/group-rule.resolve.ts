import {
  type ArgumentDeclaration,
  type EffectiveRule,
  type GroupRuleAttributes,
  type JsonObject,
  type JsonValue,
  type RuleArgumentValue,
} from '@profile-groups/contracts';
import { argumentsUsed, resolveRule, type RuleIssue } from '@profile-groups/rules';

import { type FieldErrors } from '../shared/domain-error';
import {
  type FieldIssues,
  hasIssues,
  ruleFieldIssues,
  validateStoredRule,
} from '../shared/rule-issues';
import { type RuleDefinitionState } from '../rule-definition/rule-definition.state';

export type Resolution = { ok: true; effective: EffectiveRule } | ({ ok: false } & FieldIssues);

/**
 * The effective rule of a group rule: its template (or inline rule) with every
 * {"arg": name} replaced by the rule's value, else the group's default, else the
 * declaration's default. Pure, so the decider and the worker resolve alike. An argument
 * given twice is refused (`duplicate_argument`) rather than the last one winning.
 */
export function resolveGroupRule(
  rule: GroupRuleAttributes,
  groupDefaults: JsonObject | null,
  template: RuleDefinitionState | null,
): Resolution {
  const source = ruleSource(rule, template);
  if ('errors' in source) return { ok: false, errors: source.errors, codes: source.codes };
  const duplicates = duplicateArguments(rule.arguments);
  if (hasIssues(duplicates)) return { ok: false, ...duplicates };

  // Maps, and objects built by Object.fromEntries: a name such as "__proto__" or
  // "toString" stays a plain key and never reaches a prototype.
  const values = new Map<string, JsonValue>();
  for (const declaration of source.declarations) {
    if (groupDefaults !== null && Object.hasOwn(groupDefaults, declaration.name)) {
      values.set(declaration.name, groupDefaults[declaration.name] ?? null);
    }
  }
  for (const { name, value } of rule.arguments) values.set(name, value);

  const resolved = resolveRule(source.rule, source.declarations, Object.fromEntries(values));
  if (resolved.issues.length > 0) return { ok: false, ...resolutionIssues(resolved.issues) };

  const used = new Map<string, JsonValue>();
  for (const declaration of source.declarations) {
    const value = values.get(declaration.name) ?? declaration.default;
    if (value !== undefined) used.set(declaration.name, value);
  }

  return {
    ok: true,
    effective: {
      handle: template?.attributes.handle ?? null,
      evaluator: 'jsonlogic',
      rule: resolved.rule,
      name: rule.name ?? template?.attributes.name ?? null,
      arguments: Object.fromEntries(used),
      rule_definition_version: template?.version ?? null,
    },
  };
}

/** Each argument name given more than once, at its later places in the list. */
function duplicateArguments(values: readonly RuleArgumentValue[]): FieldIssues {
  const seen = new Set<string>();
  const errors: FieldErrors = {};
  const codes: FieldErrors = {};
  values.forEach(({ name }, i) => {
    if (!seen.has(name)) {
      seen.add(name);

      return;
    }
    const path = `arguments.${i}.name`;
    errors[path] = [`The argument "${name}" is given more than once.`];
    codes[path] = ['duplicate_argument'];
  });

  return { errors, codes };
}

/** Issues about argument values are named by argument; the rest by their place in the rule. */
const ARGUMENT_VALUE_CODES = new Set([
  'unknown_argument',
  'missing_argument',
  'argument_type',
  'non_finite_number',
]);

function resolutionIssues(issues: readonly RuleIssue[]): FieldIssues {
  // An argument without a good value also leaves its placeholder unresolved: say it once.
  const argumentProblem = issues.some((issue) => ARGUMENT_VALUE_CODES.has(issue.code));
  const relevant = issues.filter(
    (issue) => !(argumentProblem && issue.code === 'unresolved_argument'),
  );

  return ruleFieldIssues('rule', relevant, (issue) =>
    ARGUMENT_VALUE_CODES.has(issue.code) ? 'arguments' : 'rule',
  );
}

function ruleSource(
  rule: GroupRuleAttributes,
  template: RuleDefinitionState | null,
): { rule: JsonValue; declarations: ArgumentDeclaration[] } | FieldIssues {
  if (rule.group_rule_definition_id !== null) {
    if (rule.rule !== null) {
      return issue('rule', 'Give either group_rule_definition_id or rule, not both.');
    }
    if (template === null || template.deleted || template.id !== rule.group_rule_definition_id) {
      return issue(
        'group_rule_definition_id',
        `Rule definition ${rule.group_rule_definition_id} not found.`,
      );
    }

    return { rule: template.attributes.rule, declarations: template.attributes.arguments };
  }
  if (rule.rule === null) {
    return issue('rule', 'A rule needs a group_rule_definition_id or an inline rule.');
  }
  const stored = validateStoredRule('rule', rule.rule, { allowArgs: true });
  if (hasIssues(stored)) return stored;
  // An inline rule declares nothing: each placeholder it uses must get a value.
  const declarations = argumentsUsed(rule.rule).map(
    (name): ArgumentDeclaration => ({ name, type: 'any', required: true }),
  );

  return { rule: rule.rule, declarations };
}

function issue(path: string, message: string): FieldIssues {
  return { errors: { [path]: [message] }, codes: {} };
}
