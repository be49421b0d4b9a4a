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

/** A partial edit of a rule: omitted fields keep their value. */
export class ChangeGroupRuleRequest {
  @RuleTypeField(false) type?: RuleType;
  @NullableText(255) name?: string | null;
  @RuleDefinitionIdField() group_rule_definition_id?: number | null;
  @InlineRuleField() rule?: JsonValue;
  @RuleArgumentsField() arguments?: RuleArgumentValueRequest[];
  @SortOrderField() sort_order?: number;
  @FlagField(undefined) is_active?: boolean;
  @NullableObject('Free-form data kept with the rule.') meta?: JsonObject | null;
}
