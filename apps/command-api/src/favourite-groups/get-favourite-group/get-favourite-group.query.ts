import { Query } from '@nestjs/cqrs';

import { type GroupDefinitionResource } from '../../group-definitions/shared/group-definition.resource';

export class GetFavouriteGroupQuery extends Query<GroupDefinitionResource> {
  constructor(
    readonly ownerProfileId: string,
    readonly group: string,
    /** Wait (briefly) until the read model reflects at least this stream version. */
    readonly minVersion: number | undefined,
  ) {
    super();
  }
}
