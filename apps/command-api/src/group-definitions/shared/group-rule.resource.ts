import {
  type EffectiveRule,
  type JsonObject,
  type JsonValue,
  type RuleArgumentValue,
  type RuleType,
} from '@profile-groups/contracts';
import { type GroupRuleState } from '@profile-groups/domain';
import { type GroupRuleView } from '@profile-groups/read-models';

/** A GroupRule (API.md), with its inline `rule` (ours) and its `rule_version`. */
export interface GroupRuleResource {
  readonly id: number;
  readonly group_definition_id: number;
  readonly group_rule_definition_id: number | null;
  readonly type: RuleType;
  readonly name: string | null;
  readonly rule: JsonValue;
  readonly arguments: RuleArgumentValue[];
  readonly sort_order: number;
  readonly is_active: boolean;
  readonly meta: JsonObject | null;
  readonly effective: EffectiveRule;
  readonly rule_version: number;
  readonly created_at: string;
  readonly updated_at: string;
}

/** A rule as the event store has it. */
export function ruleFromState(groupId: number, rule: GroupRuleState): GroupRuleResource {
  const { attributes } = rule;

  return {
    id: rule.id,
    group_definition_id: groupId,
    group_rule_definition_id: attributes.group_rule_definition_id,
    type: attributes.type,
    name: attributes.name,
    rule: attributes.rule,
    arguments: attributes.arguments,
    sort_order: attributes.sort_order,
    is_active: attributes.is_active,
    meta: attributes.meta,
    effective: rule.effective,
    rule_version: rule.version,
    created_at: rule.created_at,
    updated_at: rule.updated_at,
  };
}

/** A rule as the read model has it, in the same field order. */
export function ruleFromView(rule: GroupRuleView): GroupRuleResource {
  return {
    id: rule.id,
    group_definition_id: rule.group_definition_id,
    group_rule_definition_id: rule.group_rule_definition_id,
    type: rule.type,
    name: rule.name,
    rule: rule.rule,
    arguments: rule.arguments,
    sort_order: rule.sort_order,
    is_active: rule.is_active,
    meta: rule.meta,
    effective: rule.effective,
    rule_version: rule.rule_version,
    created_at: rule.created_at,
    updated_at: rule.updated_at,
  };
}
