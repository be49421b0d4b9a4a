import { Command } from '@nestjs/cqrs';
import { type EventMetadata } from '@profile-groups/contracts';

import { type GroupProfileResource } from '../../group-members/shared/group-profile.resource';

export class RemoveFavouriteGroupMemberCommand extends Command<GroupProfileResource> {
  constructor(
    readonly ownerProfileId: string,
    readonly group: string,
    readonly memberProfileId: string,
    readonly removedReason: string | null,
    readonly removedByProfileId: string | null,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
