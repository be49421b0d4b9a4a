import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { connectionStream } from '@profile-groups/contracts';
import { DomainError } from '@profile-groups/domain';
import { ConnectionStore } from '@profile-groups/evaluation';

import { ConcurrencyPolicy } from '../../group-definitions/shared/concurrency';
import { Clock } from '../../infrastructure/clock';
import { type ConnectionResource } from '../shared/connection.resource';
import { ConnectionStreams, type LoadedConnections } from '../shared/connection-streams';
import { RemoveConnectionCommand } from './remove-connection.command';

/**
 * Removes a connection; 404 when there is none. This API's own record (the owner's
 * connection stream) has the last word on a pair it mentions; for a pair it never
 * saw, the worker's connection store says whether an upstream platform made one.
 */
@CommandHandler(RemoveConnectionCommand)
export class RemoveConnectionHandler implements ICommandHandler<RemoveConnectionCommand> {
  constructor(
    private readonly streams: ConnectionStreams,
    private readonly store: ConnectionStore,
    private readonly concurrency: ConcurrencyPolicy,
    private readonly clock: Clock,
  ) {}

  execute(command: RemoveConnectionCommand): Promise<ConnectionResource> {
    return this.concurrency.run(
      undefined,
      () => this.attempt(command),
      connectionStream(command.profileId),
    );
  }

  private async attempt(command: RemoveConnectionCommand): Promise<ConnectionResource> {
    const loaded = await this.streams.load(command.profileId);
    if (!(await this.exists(loaded, command))) {
      throw new DomainError(
        'not_found',
        `Profile ${command.profileId} has no connection to ${command.connectedProfileId}.`,
      );
    }
    const version = await this.streams.append(
      loaded,
      {
        type: 'ConnectionRemoved',
        data: {
          profile_id: command.profileId,
          connected_profile_id: command.connectedProfileId,
          removed_at: this.clock.now().toISOString(),
        },
      },
      command.metadata,
    );

    return {
      profile_id: command.profileId,
      connected_profile_id: command.connectedProfileId,
      type: null,
      status: null,
      version,
    };
  }

  private async exists(
    loaded: LoadedConnections,
    command: RemoveConnectionCommand,
  ): Promise<boolean> {
    const streamed = loaded.connections.get(command.connectedProfileId);
    if (streamed !== undefined) return streamed !== null;

    return (await this.store.find(command.profileId, command.connectedProfileId)) !== null;
  }
}
