import { PickType } from '@nestjs/swagger';

import { AddGroupMembersRequest } from '../../group-members/add-group-members/add-group-members.request.dto';

/**
 * `profile_id` or `profile_ids`, as for a static group. No source: a manual addition
 * has source_type null, which is how it is told from a connection's.
 */
export class AddFavouriteGroupMembersRequest extends PickType(AddGroupMembersRequest, [
  'profile_id',
  'profile_ids',
  'added_by_profile_id',
  'meta',
] as const) {}
