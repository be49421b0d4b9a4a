import {
  NullableProfileId,
  NullableText,
} from '../../group-definitions/shared/group-definition.fields';

export class RemoveGroupMemberRequest {
  @NullableText(255) removed_reason?: string | null;
  @NullableProfileId() removed_by_profile_id?: string | null;
}
