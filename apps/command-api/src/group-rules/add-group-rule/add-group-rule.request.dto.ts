import { type JsonObject, type JsonValue, type RuleType } from '@profile-groups/contracts';

import {
  FlagField,
  NullableObject,
  NullableText,
} from '../../group-definitions/shared/group-definition.fields';
import {
  InlineRuleField,
  RuleArgumentsField,
  type RuleArgumentValueRequest,
  RuleDefinitionIdField,
  RuleTypeField,
  SortOrderField,
} from '../shared/group-rule.fields';

/** A rule built from a rule definition (`group_rule_definition_id`) or written inline (`rule`). */
export class AddGroupRuleRequest {
  @RuleTypeField(true) type!: RuleType;
  @NullableText(255) name?: string | null;
  @RuleDefinitionIdField() group_rule_definition_id?: number | null;
  @InlineRuleField() rule?: JsonValue;
  @RuleArgumentsField() arguments?: RuleArgumentValueRequest[];
  @SortOrderField() sort_order?: number;
  @FlagField(true) is_active?: boolean;
  @NullableObject('Free-form data kept with the rule.') meta?: JsonObject | null;
}
