import { type JsonObject } from '@profile-groups/contracts';

import {
  FlagField,
  NameField,
  NullableObject,
  NullableText,
} from '../../group-definitions/shared/group-definition.fields';

/**
 * What a profile may edit on its own instance; the rest is the definition's, or fixed
 * by the activation (handle, type, source, owner), and refused as unknown (422).
 */
export class UpdateFavouriteGroupRequest {
  @NameField('present') name?: string;
  @NullableText(255) short_description?: string | null;
  @NullableText(10_000) description?: string | null;
  @NullableObject('Free-form data kept with the group.') meta?: JsonObject | null;
  @FlagField(undefined) is_active?: boolean;
}
