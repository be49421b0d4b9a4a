import { Command } from '@nestjs/cqrs';
import { type ConnectionStatus, type EventMetadata } from '@profile-groups/contracts';

import { type ConnectionResource } from '../shared/connection.resource';

export class UpsertConnectionCommand extends Command<ConnectionResource> {
  constructor(
    readonly profileId: string,
    readonly connectedProfileId: string,
    readonly type: string,
    readonly status: ConnectionStatus,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}
