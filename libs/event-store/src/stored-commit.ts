import { type EventEnvelope, type StreamCategory } from '@profile-groups/contracts';

/**
 * One atomic append: a single document holding every event a command wrote to one
 * stream. `_id` is `${stream}@${version_from}`, so two writers that read the same
 * version collide on the unique `_id` (optimistic concurrency without transactions,
 * which FerretDB does not offer). Commits are never updated.
 *
 * The events are stored as one JSON string: event data holds free-form JSON (rules,
 * profile attributes) that FerretDB cannot store as a document, such as arrays
 * directly inside arrays (`{"in": [x, ["a", "b"]]}`) or keys starting with `$`.
 */
export interface StoredCommit {
  _id: string;
  stream: string;
  version_from: number;
  version_to: number;
  batch_id: string;
  recorded_at: Date;
  /** Copied from the events so that a group's or a profile's streams load by equality. */
  group_definition_id: number | null;
  profile_id: string | null;
  /**
   * Set on every commit the relay adds to its group's paged history as it publishes
   * it; missing on commits stored before there was one, which the history takes in
   * first.
   */
  history_indexed?: boolean;
  events_json: string;
}

/**
 * The relay's work list: one entry per commit, written before the commit itself. An
 * entry may be published once its batch is confirmed (an OutboxBatch exists); an
 * unconfirmed entry (the writer crashed in between) is resolved by looking the commit
 * up once it is older than the grace period.
 */
export interface OutboxEntry {
  _id: string;
  stream: string;
  category: StreamCategory;
  version_from: number;
  batch_id: string;
  created_at: Date;
  events_json: string;
}

/**
 * Confirms that every commit of a batch whose outbox entry still exists is stored.
 * One small document per append call: confirming 10,000 entries one by one would be
 * 10,000 updates, which FerretDB runs as as many table scans.
 */
export interface OutboxBatch {
  _id: string;
  confirmed_at: Date;
}

/**
 * An event the relay could not publish (the broker can never take it) and skipped so
 * that the events behind it could go on. The event itself stays in its commit, so
 * nothing is lost; this records where it is and why it was skipped. `_id` is the
 * event id, so recording it again after a crash changes nothing.
 */
export interface OutboxDeadLetter {
  _id: string;
  stream: string;
  stream_version: number;
  event_type: string;
  category: StreamCategory;
  /** The commit holding the event, in `events_<category>`. */
  commit_id: string;
  /** `event.too_large`, `kafka.message_too_large` or `event.unknown_type`. */
  code: string;
  reason: string;
  /** The event's record size as measured before sending. */
  bytes: number;
  dead_lettered_at: Date;
}

export function commitId(stream: string, versionFrom: number): string {
  return `${stream}@${versionFrom}`;
}

export function collectionFor(category: StreamCategory): string {
  return `events_${category.replace(/-/g, '_')}`;
}

export const OUTBOX_COLLECTION = 'outbox';
export const OUTBOX_BATCHES_COLLECTION = 'outbox_batches';
export const OUTBOX_DEAD_LETTERS_COLLECTION = 'outbox_dead_letters';
export const COUNTERS_COLLECTION = 'counters';

export function encodeEvents(events: readonly EventEnvelope[]): string {
  return JSON.stringify(events);
}

export function decodeEvents(stored: { events_json: string }): EventEnvelope[] {
  return JSON.parse(stored.events_json) as EventEnvelope[];
}
