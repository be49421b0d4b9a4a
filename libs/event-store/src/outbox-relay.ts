import { type EventEnvelope } from '@profile-groups/contracts';
import { type Logger } from '@profile-groups/observability';
import { type Collection, type Db } from 'mongodb';

import { HistoryIndex } from './history-index';
import { duplicateIndexes, isDuplicateKey } from './mongo-errors';
import {
  collectionFor,
  decodeEvents,
  OUTBOX_BATCHES_COLLECTION,
  type OutboxBatch,
  OUTBOX_COLLECTION,
  OUTBOX_DEAD_LETTERS_COLLECTION,
  type OutboxDeadLetter,
  type OutboxEntry,
  type StoredCommit,
} from './stored-commit';

/** An event the broker can never take: it was left out, the rest went on. */
export interface RefusedEvent {
  readonly event: EventEnvelope;
  /** Stable machine code, e.g. `event.too_large` or `kafka.message_too_large`. */
  readonly code: string;
  /** Developer detail, without payload data. */
  readonly reason: string;
  /** Size of the event's record as measured before sending. */
  readonly bytes: number;
}

export interface PublishOutcome {
  readonly refused: readonly RefusedEvent[];
}

/**
 * Where the relay sends events. Resolves once every event is acknowledged except the
 * refused ones, which no retry can deliver; rejects when a retry might.
 */
export interface EventPublisher {
  publish(events: readonly EventEnvelope[]): Promise<PublishOutcome>;
}

export interface OutboxRelayOptions {
  /** Pause between polls while the outbox is empty. */
  readonly pollIntervalMs: number;
  /** How long an intent may wait for its commit before the relay looks the commit up. */
  readonly intentGraceMs: number;
}

/**
 * Publishes stored events to Kafka at least once and in stream order, and adds each
 * group's events to its paged history (HistoryIndex) as they go out. Work survives
 * a crash because it lives in the outbox collection: an entry is deleted only after
 * the broker acknowledged its events, so a restart republishes what was in flight
 * (with the same event ids, which consumers drop).
 */
export class OutboxRelay {
  private readonly outbox: Collection<OutboxEntry>;
  private readonly batches: Collection<OutboxBatch>;
  private readonly deadLetters: Collection<OutboxDeadLetter>;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastSuccessAt = 0;
  private readonly history: HistoryIndex;

  constructor(
    private readonly db: Db,
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.outbox = db.collection<OutboxEntry>(OUTBOX_COLLECTION);
    this.batches = db.collection<OutboxBatch>(OUTBOX_BATCHES_COLLECTION);
    this.deadLetters = db.collection<OutboxDeadLetter>(OUTBOX_DEAD_LETTERS_COLLECTION);
    this.history = new HistoryIndex(db);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** Time of the last cycle that reached MongoDB and Kafka without error (0 = never). */
  get lastHealthyAt(): number {
    return this.lastSuccessAt;
  }

  /** Events skipped because the broker can never take them (see OutboxDeadLetter). */
  deadLetterCount(): Promise<number> {
    return this.deadLetters.countDocuments({});
  }

  /** One pass over the outbox; returns how many events were published. */
  async relayOnce(): Promise<number> {
    // Batches first: every entry of a batch confirmed by now is in the entry read below.
    const confirmed = new Set((await this.batches.find({}).toArray()).map((batch) => batch._id));
    const entries = await this.outbox.find({}).toArray();
    await this.forgetPublishedBatches(confirmed, entries);
    if (entries.length === 0) return 0;

    const { publishable, stale } = this.plan(entries, confirmed);
    if (stale.length > 0) {
      await this.resolveUnconfirmed(stale);
    }
    if (publishable.length === 0) return 0;

    const commitOf = new Map<string, OutboxEntry>();
    const events = publishable.flatMap((entry) =>
      decodeEvents(entry).map((event) => {
        commitOf.set(event.id, entry);

        return event;
      }),
    );
    const { refused } = await this.publisher.publish(events);
    // Recorded before the trim: after a crash in between, the next pass meets the same
    // refusal and records it again under the same id.
    if (refused.length > 0) await this.recordDeadLetters(refused, commitOf);
    // Before the trim too: after a crash in between, the next pass finds them indexed.
    await this.history.indexPublished(publishable);
    await this.trim(entries, publishable);
    this.logger.debug('relay.published', {
      events: events.length - refused.length,
      dead_lettered: refused.length,
      commits: publishable.length,
    });

    return events.length;
  }

  /**
   * The skipped event leaves a gap in its stream for every consumer: the versions
   * before and after it arrive, it never does. docs/architecture.md says what that
   * means for each consumer and what an operator does about it.
   * TODO: no command republishes a dead-lettered event once the broker's limit has been
   * raised, nor rebuilds the live read models; a skipped definition change stays missing
   * from its view until the field changes again.
   */
  private async recordDeadLetters(
    refused: readonly RefusedEvent[],
    commitOf: ReadonlyMap<string, OutboxEntry>,
  ): Promise<void> {
    const now = this.clock();
    const letters = refused.map(({ event, code, reason, bytes }): OutboxDeadLetter => {
      const entry = commitOf.get(event.id);
      if (entry === undefined) throw new Error(`Refused event ${event.id} was not sent`);

      return {
        _id: event.id,
        stream: event.stream,
        stream_version: event.stream_version,
        event_type: event.type,
        category: entry.category,
        commit_id: entry._id,
        code,
        reason,
        bytes,
        dead_lettered_at: now,
      };
    });
    try {
      await this.deadLetters.insertMany(letters, { ordered: false });
    } catch (error) {
      // Throws again unless every refused write is a letter recorded by an earlier pass.
      duplicateIndexes(error);
    }
    for (const letter of letters) {
      this.logger.error('relay.event_dead_lettered', {
        event_id: letter._id,
        event_type: letter.event_type,
        stream: letter.stream,
        stream_version: letter.stream_version,
        commit_id: letter.commit_id,
        code: letter.code,
        reason: letter.reason,
        bytes: letter.bytes,
      });
    }
  }

  /**
   * Per stream, the confirmed entries that come before any unconfirmed one, in version
   * order: a later commit never overtakes an earlier one of the same stream.
   */
  private plan(
    entries: OutboxEntry[],
    confirmed: Set<string>,
  ): { publishable: OutboxEntry[]; stale: OutboxEntry[] } {
    const byStream = groupBy(entries, (entry) => entry.stream);
    const publishable: OutboxEntry[] = [];
    const stale: OutboxEntry[] = [];
    const staleBefore = this.clock().getTime() - this.options.intentGraceMs;
    for (const list of byStream.values()) {
      list.sort((a, b) => a.version_from - b.version_from);
      for (const entry of list) {
        if (confirmed.has(entry.batch_id)) {
          publishable.push(entry);
          continue;
        }
        if (entry.created_at.getTime() < staleBefore) stale.push(entry);
        break;
      }
    }

    return { publishable, stale };
  }

  /** Deletes what was published: whole batches by batch id, the rest entry by entry. */
  private async trim(entries: OutboxEntry[], published: OutboxEntry[]): Promise<void> {
    const loaded = groupBy(entries, (entry) => entry.batch_id);
    for (const [batchId, done] of groupBy(published, (entry) => entry.batch_id)) {
      if (done.length === loaded.get(batchId)?.length) {
        await this.outbox.deleteMany({ batch_id: batchId });
        await this.batches.deleteOne({ _id: batchId });
      } else {
        await this.outbox.deleteMany({ batch_id: batchId, _id: { $in: done.map((e) => e._id) } });
      }
    }
  }

  /** A confirmation whose entries are all gone (a relay died mid-trim) is dropped. */
  private async forgetPublishedBatches(
    confirmed: Set<string>,
    entries: OutboxEntry[],
  ): Promise<void> {
    const pending = new Set(entries.map((entry) => entry.batch_id));
    const finished = [...confirmed].filter((batchId) => !pending.has(batchId));
    if (finished.length > 0) {
      await this.batches.deleteMany({ _id: { $in: finished } });
    }
  }

  /**
   * An entry outlived its grace period unconfirmed: its writer died between writing
   * the entry and confirming the batch. Entries whose commit was stored are confirmed;
   * the others (the commit never made it) are withdrawn.
   */
  private async resolveUnconfirmed(stale: OutboxEntry[]): Promise<void> {
    for (const group of groupBy(
      stale,
      (entry) => `${entry.category}\u0000${entry.batch_id}`,
    ).values()) {
      const [first] = group;
      if (!first) continue;
      const commits = this.db.collection<StoredCommit>(collectionFor(first.category));
      const stored = new Set(
        (
          await commits.find({ batch_id: first.batch_id }, { projection: { _id: 1 } }).toArray()
        ).map((commit) => commit._id),
      );
      const batchEntries = await this.outbox.find({ batch_id: first.batch_id }).toArray();
      const abandoned = batchEntries.filter((entry) => !stored.has(entry._id)).map((e) => e._id);
      if (abandoned.length > 0) {
        await this.outbox.deleteMany({ batch_id: first.batch_id, _id: { $in: abandoned } });
      }
      if (stored.size > 0) {
        try {
          await this.batches.insertOne({ _id: first.batch_id, confirmed_at: this.clock() });
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
      }
      this.logger.warn('relay.unconfirmed_resolved', {
        batch_id: first.batch_id,
        stored: stored.size,
        abandoned: abandoned.length,
      });
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let published = 0;
      try {
        published = await this.relayOnce();
        this.lastSuccessAt = Date.now();
        if (failures > 0) this.logger.info('relay.recovered', { after_failures: failures });
        failures = 0;
      } catch (error) {
        failures++;
        const level = failures > 5 ? 'error' : 'warn';
        this.logger[level]('relay.cycle_failed', { error, consecutive_failures: failures });
      }
      if (published === 0 && this.running) {
        const backoff =
          failures === 0 ? this.options.pollIntervalMs : Math.min(5000, 100 * 2 ** failures);
        await this.sleep(backoff);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }

  return groups;
}
