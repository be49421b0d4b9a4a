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

export class CreateRuleDefinitionRequest {
  @NameField('required') name!: string;
  @HandleField() handle?: string;
  @NullableText(10_000) description?: string | null;
  @EvaluatorField() evaluator?: 'jsonlogic';
  @TemplateRuleField(true) rule!: JsonValue;
  @ArgumentDeclarationsField() arguments?: ArgumentDeclarationRequest[];
  @NullableObject('Free-form data kept with the rule definition.') meta?: JsonObject | null;
}
