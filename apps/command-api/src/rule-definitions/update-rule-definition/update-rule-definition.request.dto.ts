import { type JsonObject, type JsonValue } from '@profile-groups/contracts';

import {
  HandleField,
  NameField,
  NullableObject,
  NullableText,
} from '../../group-definitions/shared/group-definition.fields';
import {
  type ArgumentDeclarationRequest,
  ArgumentDeclarationsField,
  EvaluatorField,
  TemplateRuleField,
} from '../shared/rule-definition.fields';

/** A partial edit: omitted fields keep their value, null clears a nullable one. */
export class UpdateRuleDefinitionRequest {
  @NameField('present') name?: string;
  @HandleField() handle?: string;
  @NullableText(10_000) description?: string | null;
  @EvaluatorField() evaluator?: 'jsonlogic';
  @TemplateRuleField(false) rule?: JsonValue;
  @ArgumentDeclarationsField() arguments?: ArgumentDeclarationRequest[];
  @NullableObject('Free-form data kept with the rule definition.') meta?: JsonObject | null;
}
