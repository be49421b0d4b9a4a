import {
  type EvaluationEvent,
  type EventMetadata,
  groupEvaluationStream,
} from '@profile-groups/contracts';
import { ConcurrencyError, type EventStore } from '@profile-groups/event-store';

const ATTEMPTS = 10;

/**
 * Appends to groups' evaluation streams (refresh requests, runs and snapshots). The
 * worker is these streams' main writer, so it keeps each stream's version rather than
 * re-reading a stream that grows with every run; a refused append re-reads it.
 */
export class EvaluationLog {
  private readonly versions = new Map<number, number>();

  constructor(private readonly store: EventStore) {}

  async append(
    groupId: number,
    events: readonly EvaluationEvent[],
    metadata: EventMetadata,
  ): Promise<void> {
    const stream = groupEvaluationStream(groupId);
    for (let attempt = 1; ; attempt++) {
      const version = this.versions.get(groupId) ?? (await this.store.readStream(stream)).version;
      try {
        await this.store.append(stream, version, events, metadata);
        this.versions.set(groupId, version + events.length);

        return;
      } catch (error) {
        this.versions.delete(groupId);
        if (!(error instanceof ConcurrencyError) || attempt >= ATTEMPTS) throw error;
        // Operators' refresh requests land on the same stream; a short random pause
        // lets a burst of them through before the next try.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }
}
