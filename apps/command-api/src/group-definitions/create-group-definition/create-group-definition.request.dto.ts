import { type GroupType } from '@profile-groups/contracts';

import { GroupDefinitionOptionalFields } from '../shared/group-definition-fields.dto';
import { FlagField, HandleField, NameField, TypeField } from '../shared/group-definition.fields';

export class CreateGroupDefinitionRequest extends GroupDefinitionOptionalFields {
  @NameField('required') name!: string;
  @HandleField() handle?: string;
  @TypeField('required') type!: GroupType;
  @FlagField(false) is_published?: boolean;
  @FlagField(true) is_active?: boolean;
  @FlagField(false) is_archived?: boolean;
}
