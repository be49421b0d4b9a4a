import { Command } from '@nestjs/cqrs';
import { type EventMetadata } from '@profile-groups/contracts';

import { type GroupDefinitionResource } from '../../group-definitions/shared/group-definition.resource';
import { type UpdateFavouriteGroupRequest } from './update-favourite-group.request.dto';

export class UpdateFavouriteGroupCommand extends Command<GroupDefinitionResource> {
  constructor(
    readonly ownerProfileId: string,
    readonly group: string,
    readonly request: UpdateFavouriteGroupRequest,
    readonly expectedVersion: number | undefined,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
