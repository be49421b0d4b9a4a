import { Command } from '@nestjs/cqrs';
import { type EventMetadata } from '@profile-groups/contracts';

import { type GroupProfileResource } from '../shared/group-profile.resource';

export class RemoveGroupMemberCommand extends Command<GroupProfileResource> {
  constructor(
    readonly group: string,
    readonly profileId: string,
    readonly removedReason: string | null,
    readonly removedByProfileId: string | null,
    readonly metadata: EventMetadata,
    /** Set when a profile removes from its own favourite group: only that group takes it. */
    readonly ownerProfileId?: string,
  ) {
    super();
  }
}
