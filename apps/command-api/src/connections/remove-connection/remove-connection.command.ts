import { Command } from '@nestjs/cqrs';
import { type EventMetadata } from '@profile-groups/contracts';

import { type ConnectionResource } from '../shared/connection.resource';

export class RemoveConnectionCommand extends Command<ConnectionResource> {
  constructor(
    readonly profileId: string,
    readonly connectedProfileId: string,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
