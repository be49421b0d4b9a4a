import {
  type GroupDefinitionEvent,
  type GroupRuleAttributes,
  type JsonObject,
  type RuleChangeCause,
} from '@profile-groups/contracts';

import {
  type GroupDefinitionState,
  type GroupRuleState,
} from '../group-definition/group-definition.state';
import { type RuleDefinitionState } from '../rule-definition/rule-definition.state';
import { deepEqual } from '../shared/deep-equal';
import { DomainError } from '../shared/domain-error';
import { resolveGroupRule } from './group-rule.resolve';

export interface AddGroupRule {
  readonly kind: 'AddGroupRule';
  readonly ruleId: number;
  readonly attributes: GroupRuleAttributes;
  /** The rule definition the attributes name, loaded by the caller (null: none named). */
  readonly template: RuleDefinitionState | null;
  readonly now: Date;
}

export interface ChangeGroupRule {
  readonly kind: 'ChangeGroupRule';
  readonly ruleId: number;
  readonly changes: Partial<GroupRuleAttributes>;
  /** The rule definition the changed rule names. */
  readonly template: RuleDefinitionState | null;
  readonly now: Date;
}

export interface RemoveGroupRule {
  readonly kind: 'RemoveGroupRule';
  readonly ruleId: number;
  readonly now: Date;
}

/** Sent after a rule definition changed: rules built from it take its new version. */
export interface ReresolveGroupRules {
  readonly kind: 'ReresolveGroupRules';
  readonly template: RuleDefinitionState;
  readonly now: Date;
}

export type GroupRuleCommand =
  | AddGroupRule
  | ChangeGroupRule
  | RemoveGroupRule
  | ReresolveGroupRules;

export function decideGroupRule(
  group: GroupDefinitionState,
  command: GroupRuleCommand,
): GroupDefinitionEvent[] {
  switch (command.kind) {
    case 'AddGroupRule': {
      requireDynamic(group);
      const resolution = resolveGroupRule(
        command.attributes,
        group.attributes.arguments,
        command.template,
      );
      if (!resolution.ok) throw DomainError.validation(resolution.errors, resolution.codes);

      return [
        {
          type: 'GroupRuleAdded',
          data: {
            group_definition_id: group.id,
            rule_id: command.ruleId,
            rule: command.attributes,
            rule_version: 1,
            effective: resolution.effective,
            added_at: command.now.toISOString(),
          },
        },
      ];
    }
    case 'ChangeGroupRule': {
      const rule = requireRule(group, command.ruleId);
      const changes: Partial<Record<keyof GroupRuleAttributes, unknown>> = {};
      for (const [key, value] of Object.entries(command.changes) as [
        keyof GroupRuleAttributes,
        unknown,
      ][]) {
        if (value !== undefined && !deepEqual(rule.attributes[key], value)) changes[key] = value;
      }
      if (Object.keys(changes).length === 0) return [];
      const attributes = { ...rule.attributes, ...(changes as Partial<GroupRuleAttributes>) };
      const resolution = resolveGroupRule(attributes, group.attributes.arguments, command.template);
      if (!resolution.ok) throw DomainError.validation(resolution.errors, resolution.codes);

      return [
        ruleChanged(
          group,
          rule,
          'edited',
          changes as Partial<GroupRuleAttributes>,
          resolution.effective,
          command.now,
        ),
      ];
    }
    case 'RemoveGroupRule': {
      const rule = requireRule(group, command.ruleId);

      return [
        {
          type: 'GroupRuleRemoved',
          data: {
            group_definition_id: group.id,
            rule_id: rule.id,
            rule_version: rule.version + 1,
            removed_at: command.now.toISOString(),
          },
        },
      ];
    }
    case 'ReresolveGroupRules':
      return reresolve(
        group,
        group.attributes.arguments,
        command.template,
        'rule_definition_changed',
        command.now,
      ).events;
    default: {
      const unreachable: never = command;
      throw new Error(`Unknown command ${(unreachable as { kind: string }).kind}`);
    }
  }
}

/**
 * Re-resolves the rules built from `template` (every rule when it is null) against
 * new group defaults; returns a RuleChanged for each whose effective rule moved and
 * the ids of rules that no longer resolve (those keep their previous version).
 */
export function reresolve(
  group: GroupDefinitionState,
  defaults: JsonObject | null,
  template: RuleDefinitionState | null,
  cause: RuleChangeCause,
  now: Date,
  templates: ReadonlyMap<number, RuleDefinitionState> = new Map(),
): { events: GroupDefinitionEvent[]; unresolved: Map<number, string[]> } {
  const events: GroupDefinitionEvent[] = [];
  const unresolved = new Map<number, string[]>();
  for (const rule of group.rules) {
    const templateId = rule.attributes.group_rule_definition_id;
    if (template !== null && templateId !== template.id) continue;
    const ruleTemplate =
      template ?? (templateId === null ? null : (templates.get(templateId) ?? null));
    const resolution = resolveGroupRule(rule.attributes, defaults, ruleTemplate);
    if (!resolution.ok) {
      unresolved.set(rule.id, Object.values(resolution.errors).flat());
      continue;
    }
    if (deepEqual(resolution.effective, rule.effective)) continue;
    events.push(ruleChanged(group, rule, cause, {}, resolution.effective, now));
  }

  return { events, unresolved };
}

function ruleChanged(
  group: GroupDefinitionState,
  rule: GroupRuleState,
  cause: RuleChangeCause,
  changes: Partial<GroupRuleAttributes>,
  effective: GroupRuleState['effective'],
  now: Date,
): GroupDefinitionEvent {
  return {
    type: 'RuleChanged',
    data: {
      group_definition_id: group.id,
      rule_id: rule.id,
      rule_version: rule.version + 1,
      cause,
      changes,
      effective,
      changed_at: now.toISOString(),
    },
  };
}

function requireDynamic(group: GroupDefinitionState): void {
  if (group.attributes.type !== 'dynamic') {
    throw new DomainError('wrong_group_type', `A ${group.attributes.type} group has no rules.`);
  }
}

export function requireRule(group: GroupDefinitionState, ruleId: number): GroupRuleState {
  const rule = group.rules.find((candidate) => candidate.id === ruleId);
  if (rule === undefined) {
    throw new DomainError('rule_not_found', `Group ${group.id} has no rule ${ruleId}.`);
  }

  return rule;
}
