import { Command } from '@nestjs/cqrs';
import { type EventMetadata } from '@profile-groups/contracts';

import { type GroupDefinitionResource } from '../../group-definitions/shared/group-definition.resource';

export class DeleteFavouriteGroupCommand extends Command<GroupDefinitionResource> {
  constructor(
    readonly ownerProfileId: string,
    readonly group: string,
    readonly expectedVersion: number | undefined,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
