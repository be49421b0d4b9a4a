import { type GroupType } from '@profile-groups/contracts';

import { GroupDefinitionOptionalFields } from '../shared/group-definition-fields.dto';
import { FlagField, HandleField, NameField, TypeField } from '../shared/group-definition.fields';

/** A partial edit: omitted fields keep their value, null clears a nullable one. */
export class UpdateGroupDefinitionRequest extends GroupDefinitionOptionalFields {
  @NameField('present') name?: string;
  @HandleField() handle?: string;
  @TypeField('present') type?: GroupType;
  @FlagField(undefined) is_published?: boolean;
  @FlagField(undefined) is_active?: boolean;
  @FlagField(undefined) is_archived?: boolean;
}
