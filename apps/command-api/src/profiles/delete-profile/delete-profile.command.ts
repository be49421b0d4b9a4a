import { Command } from '@nestjs/cqrs';
import { type EventMetadata } from '@profile-groups/contracts';

import { type ProfileResource } from '../shared/profile.resource';

export class DeleteProfileCommand extends Command<ProfileResource> {
  constructor(
    readonly profileId: string,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
