import { Query } from '@nestjs/cqrs';
import { type Page, type PageRequest } from '@profile-groups/read-models';

import { type GroupProfileResource } from '../../group-members/shared/group-profile.resource';

export class ListFavouriteGroupMembersQuery extends Query<Page<GroupProfileResource>> {
  constructor(
    readonly ownerProfileId: string,
    readonly group: string,
    readonly includeRemoved: boolean,
    readonly page: PageRequest,
    /** ISO 8601 UTC; the memberships in force then instead of now. */
    readonly asOf: string | null = null,
  ) {
    super();
  }
}
