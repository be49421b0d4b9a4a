import { type EventEnvelope } from '@profile-groups/contracts';
import { type Logger } from '@profile-groups/observability';
import { type Collection, type Db } from 'mongodb';

import {
  collectionFor,
  type OutboxEntry,
  OUTBOX_COLLECTION,
  type StoredCommit,
} from './stored-commit';

/** Where the relay sends events; resolves only once every event is acknowledged. */
export interface EventPublisher {
  publish(events: readonly EventEnvelope[]): Promise<void>;
}

export interface OutboxRelayOptions {
  /** Pause between polls while the outbox is empty. */
  readonly pollIntervalMs: number;
  /** How long an intent may wait for its commit before the relay looks the commit up. */
  readonly intentGraceMs: number;
}

/**
 * Publishes stored events to Kafka at least once and in stream order. Work survives
 * a crash because it lives in the outbox collection: an entry is deleted only after
 * the broker acknowledged its events, so a restart republishes what was in flight
 * (with the same event ids, which consumers drop).
 */
export class OutboxRelay {
  private readonly outbox: Collection<OutboxEntry>;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastSuccessAt = 0;

  constructor(
    private readonly db: Db,
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.outbox = db.collection<OutboxEntry>(OUTBOX_COLLECTION);
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

  /** One pass over the outbox; returns how many events were published. */
  async relayOnce(): Promise<number> {
    const entries = await this.outbox.find({}).toArray();
    if (entries.length === 0) return 0;

    const { publishable, staleIntents } = this.plan(entries);
    if (staleIntents.length > 0) {
      await this.resolveStaleIntents(staleIntents);
    }
    if (publishable.length === 0) return 0;

    const events = publishable.flatMap((entry) => entry.events);
    await this.publisher.publish(events);
    await this.outbox.deleteMany({ _id: { $in: publishable.map((entry) => entry._id) } });
    this.logger.debug('relay.published', { events: events.length, commits: publishable.length });

    return events.length;
  }

  /**
   * Per stream, the ready entries that come before any unresolved intent, in version
   * order: a later commit never overtakes an earlier one of the same stream.
   */
  private plan(entries: OutboxEntry[]): {
    publishable: OutboxEntry[];
    staleIntents: OutboxEntry[];
  } {
    const byStream = new Map<string, OutboxEntry[]>();
    for (const entry of entries) {
      const list = byStream.get(entry.stream) ?? [];
      list.push(entry);
      byStream.set(entry.stream, list);
    }
    const publishable: OutboxEntry[] = [];
    const staleIntents: OutboxEntry[] = [];
    const staleBefore = this.clock().getTime() - this.options.intentGraceMs;
    for (const list of byStream.values()) {
      list.sort((a, b) => a.version_from - b.version_from);
      for (const entry of list) {
        if (entry.state === 'ready') {
          publishable.push(entry);
          continue;
        }
        if (entry.created_at.getTime() < staleBefore) staleIntents.push(entry);
        break;
      }
    }

    return { publishable, staleIntents };
  }

  /** An intent outlived its writer: publish it if the commit was stored, else drop it. */
  private async resolveStaleIntents(intents: OutboxEntry[]): Promise<void> {
    const batches = new Map<string, OutboxEntry[]>();
    for (const intent of intents) {
      const key = `${intent.category}\u0000${intent.batch_id}`;
      batches.set(key, [...(batches.get(key) ?? []), intent]);
    }
    for (const group of batches.values()) {
      const [first] = group;
      if (!first) continue;
      const commits = this.db.collection<StoredCommit>(collectionFor(first.category));
      const stored = new Set(
        (
          await commits.find({ batch_id: first.batch_id }, { projection: { _id: 1 } }).toArray()
        ).map((commit) => commit._id),
      );
      const ready = group.filter((intent) => stored.has(intent._id)).map((intent) => intent._id);
      const abandoned = group
        .filter((intent) => !stored.has(intent._id))
        .map((intent) => intent._id);
      if (ready.length > 0) {
        await this.outbox.updateMany({ _id: { $in: ready } }, { $set: { state: 'ready' } });
      }
      if (abandoned.length > 0) {
        await this.outbox.deleteMany({ _id: { $in: abandoned }, state: 'intent' });
      }
      this.logger.warn('relay.intents_resolved', {
        batch_id: first.batch_id,
        stored: ready.length,
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
