import { Query } from '@nestjs/cqrs';
import { type Page, type PageRequest } from '@profile-groups/read-models';

import { type GroupProfileResource } from '../shared/group-profile.resource';

export class ListGroupMembersQuery extends Query<Page<GroupProfileResource>> {
  constructor(
    readonly group: string,
    readonly includeRemoved: boolean,
    readonly page: PageRequest,
    /** ISO 8601 UTC; the memberships in force then instead of now. */
    readonly asOf: string | null = null,
  ) {
    super();
  }
}
