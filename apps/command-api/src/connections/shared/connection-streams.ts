import { Injectable } from '@nestjs/common';
import {
  type ConnectionEvent,
  type ConnectionStatus,
  connectionStream,
  type EventMetadata,
} from '@profile-groups/contracts';
import { EventStore } from '@profile-groups/event-store';

/** A pair's last change on its owner's stream: the connection (null once removed) and when. */
export interface StreamedConnection {
  readonly connection: { type: string; status: ConnectionStatus } | null;
  readonly at: string;
}

export interface LoadedConnections {
  readonly stream: string;
  readonly version: number;
  /** By connected profile; a pair the stream never mentions is absent. */
  readonly connections: ReadonlyMap<string, StreamedConnection>;
}

/**
 * The connections from one profile that came in through this API: the stream
 * `connection-<profile>`, which the relay publishes on the connections topic like an
 * upstream platform's changes. Each event stands on its own (the last one wins), so a
 * conflict is retried on the fresh version by the caller.
 */
@Injectable()
export class ConnectionStreams {
  constructor(private readonly eventStore: EventStore) {}

  async load(profileId: string): Promise<LoadedConnections> {
    const stream = connectionStream(profileId);
    // TODO: reads the profile's whole connection stream, as ProfileStreams does; a
    // stream-version read and a per-pair lookup would spare it for profiles with many.
    const read = await this.eventStore.readStream(stream);
    const connections = new Map<string, StreamedConnection>();
    for (const event of read.events as unknown as ConnectionEvent[]) {
      const { connected_profile_id: connected } = event.data;
      connections.set(
        connected,
        event.type === 'ConnectionUpserted'
          ? {
              connection: { type: event.data.type, status: event.data.status },
              at: event.data.upserted_at,
            }
          : { connection: null, at: event.data.removed_at },
      );
    }

    return { stream, version: read.version, connections };
  }

  /** Resolves with the stream version after the append, once the event is durable. */
  async append(
    loaded: LoadedConnections,
    event: ConnectionEvent,
    metadata: EventMetadata,
  ): Promise<number> {
    await this.eventStore.append(loaded.stream, loaded.version, [event], metadata);

    return loaded.version + 1;
  }
}
