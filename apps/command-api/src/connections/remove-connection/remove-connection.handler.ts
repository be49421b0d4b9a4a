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
 * Removes a connection; 404 when there is none. Two records know of a pair: this
 * API's own (the owner's connection stream), and the worker's connection store, which
 * holds every producer's changes as the topic ordered them but may not have this
 * API's latest yet. The one whose last change of the pair is newer says whether the
 * connection stands, so that one re-accepted upstream after the API removed it is found.
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
    const streamed = loaded.connections.get(command.connectedProfileId) ?? null;
    const stored = await this.store.lastChange(command.profileId, command.connectedProfileId);
    // At the same time the stream wins: the store then most likely holds that very
    // change, or one of this API's it superseded.
    // TODO: compares the producers' own times; a producer whose clock is behind this
    // API's may have its later change taken for an older one.
    const storeIsNewer =
      stored !== null && (streamed === null || Date.parse(stored.at) > Date.parse(streamed.at));

    return (storeIsNewer ? stored.connection : (streamed?.connection ?? null)) !== null;
  }
}
