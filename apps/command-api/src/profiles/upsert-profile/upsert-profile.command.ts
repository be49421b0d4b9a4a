import { Command } from '@nestjs/cqrs';
import { type EventMetadata, type JsonObject } from '@profile-groups/contracts';

import { type ProfileResource } from '../shared/profile.resource';

export class UpsertProfileCommand extends Command<ProfileResource> {
  constructor(
    readonly profileId: string,
    readonly attributes: JsonObject,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
