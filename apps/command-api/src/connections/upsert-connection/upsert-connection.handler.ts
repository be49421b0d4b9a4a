import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { connectionStream } from '@profile-groups/contracts';

import { ConcurrencyPolicy } from '../../group-definitions/shared/concurrency';
import { Clock } from '../../infrastructure/clock';
import { type ConnectionResource } from '../shared/connection.resource';
import { ConnectionStreams } from '../shared/connection-streams';
import { UpsertConnectionCommand } from './upsert-connection.command';

/**
 * Records a connection as sent. Every upsert is stored, even one that repeats the
 * stream's last word: a platform publishing straight to Kafka may have changed the
 * connection since, and the last change on the topic is the one that counts.
 */
@CommandHandler(UpsertConnectionCommand)
export class UpsertConnectionHandler implements ICommandHandler<UpsertConnectionCommand> {
  constructor(
    private readonly streams: ConnectionStreams,
    private readonly concurrency: ConcurrencyPolicy,
    private readonly clock: Clock,
  ) {}

  execute(command: UpsertConnectionCommand): Promise<ConnectionResource> {
    return this.concurrency.run(
      undefined,
      () => this.attempt(command),
      connectionStream(command.profileId),
    );
  }

  private async attempt(command: UpsertConnectionCommand): Promise<ConnectionResource> {
    const loaded = await this.streams.load(command.profileId);
    const version = await this.streams.append(
      loaded,
      {
        type: 'ConnectionUpserted',
        data: {
          profile_id: command.profileId,
          connected_profile_id: command.connectedProfileId,
          type: command.type,
          status: command.status,
          upserted_at: this.clock.now().toISOString(),
        },
      },
      command.metadata,
    );

    return {
      profile_id: command.profileId,
      connected_profile_id: command.connectedProfileId,
      type: command.type,
      status: command.status,
      version,
    };
  }
}
