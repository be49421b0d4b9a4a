import { Injectable } from '@nestjs/common';
import { type EventMetadata, type ProfileEvent, profileStream } from '@profile-groups/contracts';
import { EventStore } from '@profile-groups/event-store';

import { ConcurrencyPolicy } from '../../group-definitions/shared/concurrency';

/**
 * Appends profile input to the profile's stream, so that the relay publishes it on the
 * profiles topic like any upstream producer's. Each event stands on its own (the last
 * one wins), so a conflict is simply retried on the fresh version.
 */
@Injectable()
export class ProfileStreams {
  constructor(
    private readonly eventStore: EventStore,
    private readonly concurrency: ConcurrencyPolicy,
  ) {}

  /** Resolves with the stream version after the append, once the event is durable. */
  append(profileId: string, event: ProfileEvent, metadata: EventMetadata): Promise<number> {
    const stream = profileStream(profileId);

    return this.concurrency.run(
      undefined,
      async () => {
        // TODO: reads the whole profile stream for its version; the event store needs a
        // read of a stream's version alone for streams that only grow.
        const { version } = await this.eventStore.readStream(stream);
        await this.eventStore.append(stream, version, [event], metadata);

        return version + 1;
      },
      stream,
    );
  }
}
