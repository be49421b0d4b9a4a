import { type NewEvent } from '../envelope';
import { type JsonObject, type JsonValue } from './group-definition.events';

export const RULE_TYPES = ['inclusion', 'exclusion'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export interface RuleArgumentValue {
  name: string;
  value: JsonValue;
}

/**
 * A rule of a dynamic group: built from a rule definition (template) with argument
 * values, or (ours) written inline in `rule` without a template.
 */
export interface GroupRuleAttributes {
  group_rule_definition_id: number | null;
  rule: JsonValue;
  type: RuleType;
  name: string | null;
  arguments: RuleArgumentValue[];
  sort_order: number;
  is_active: boolean;
  meta: JsonObject | null;
}

/** The rule the evaluator runs: the template with every argument replaced by its value. */
export interface EffectiveRule {
  handle: string | null;
  evaluator: 'jsonlogic';
  rule: JsonValue;
  name: string | null;
  /** The argument values used, after the definition's defaults and the template's. */
  arguments: JsonObject;
  /** Stream version of the rule definition resolved, null for an inline rule. */
  rule_definition_version: number | null;
}

export type GroupRuleAdded = NewEvent<
  'GroupRuleAdded',
  {
    group_definition_id: number;
    rule_id: number;
    rule: GroupRuleAttributes;
    rule_version: number;
    effective: EffectiveRule;
    added_at: string;
  }
>;

/** Why a rule's version moved: an edit of the rule itself, of the group's default
 *  arguments, or of the rule definition it is built from. */
export const RULE_CHANGE_CAUSES = [
  'edited',
  'arguments_changed',
  'rule_definition_changed',
] as const;
export type RuleChangeCause = (typeof RULE_CHANGE_CAUSES)[number];

export type RuleChanged = NewEvent<
  'RuleChanged',
  {
    group_definition_id: number;
    rule_id: number;
    rule_version: number;
    cause: RuleChangeCause;
    changes: Partial<GroupRuleAttributes>;
    effective: EffectiveRule;
    changed_at: string;
  }
>;

export type GroupRuleRemoved = NewEvent<
  'GroupRuleRemoved',
  { group_definition_id: number; rule_id: number; rule_version: number; removed_at: string }
>;

export type GroupRuleEvent = GroupRuleAdded | RuleChanged | GroupRuleRemoved;
