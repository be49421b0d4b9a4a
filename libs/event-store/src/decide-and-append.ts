import { type EventEnvelope, type EventMetadata, type NewEvent } from '@profile-groups/contracts';

import { type EventStore } from './event-store';
import { DEFAULT_CONFLICT_RETRY, retryOnConflict } from './conflict-retry';

export interface StreamDecision<State, Event extends NewEvent> {
  readonly stream: string;
  readonly initial: State;
  readonly evolve: (state: State, event: Event) => State;
  /** Pure: given the folded state, the events to append (may throw a DomainError). */
  readonly decide: (state: State) => Event[];
}

export interface DecisionResult<State> {
  readonly state: State;
  readonly version: number;
  readonly appended: EventEnvelope[];
}

/**
 * Load -> fold -> decide -> append with the version read; on a concurrent write the
 * whole decision is re-run on fresh state (a safe retry, see retryOnConflict), up to
 * `attempts` times.
 */
export async function decideAndAppend<State, Event extends NewEvent>(
  store: EventStore,
  decision: StreamDecision<State, Event>,
  metadata: EventMetadata,
  attempts = 3,
): Promise<DecisionResult<State>> {
  return retryOnConflict(
    async () => {
      const read = await store.readStream(decision.stream);
      const state = read.events.reduce(
        (current, event) => decision.evolve(current, event as unknown as Event),
        decision.initial,
      );
      const events = decision.decide(state);
      if (events.length === 0) return { state, version: read.version, appended: [] };
      const appended = await store.append(decision.stream, read.version, events, metadata);
      const next = events.reduce(decision.evolve, state);

      return { state: next, version: read.version + appended.length, appended };
    },
    { ...DEFAULT_CONFLICT_RETRY, maxAttempts: attempts },
  );
}
