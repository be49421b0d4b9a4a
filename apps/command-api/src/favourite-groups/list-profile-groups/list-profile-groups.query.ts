import { Query } from '@nestjs/cqrs';
import { type Page, type PageRequest } from '@profile-groups/read-models';

import { type GroupDefinitionResource } from '../../group-definitions/shared/group-definition.resource';

export class ListProfileGroupsQuery extends Query<Page<GroupDefinitionResource>> {
  constructor(
    readonly profileId: string,
    /** The groups the profile is a member of, rather than the ones it owns. */
    readonly member: boolean,
    readonly page: PageRequest,
  ) {
    super();
  }
}
