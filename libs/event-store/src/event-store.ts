import { randomUUID } from 'node:crypto';

import {
  type EventEnvelope,
  type EventMetadata,
  EVENT_CATALOGUE,
  isEventType,
  type NewEvent,
  STREAM_CATEGORIES,
  type StreamCategory,
  streamCategory,
} from '@profile-groups/contracts';
import { type Collection, type Db, type Filter, type OptionalUnlessRequiredId } from 'mongodb';

import { assertEventsFit, DEFAULT_MAX_EVENT_BYTES } from './event-size-guard';
import { AppendOutcomeUnknownError, ConcurrencyError } from './event-store.errors';
import { groupHistoryKey, HistoryIndex, type HistorySlice, inRecordedOrder } from './history-index';
import { duplicateIndexes, isDuplicateKey, isMongoUnavailable } from './mongo-errors';
import {
  collectionFor,
  decodeEvents,
  encodeEvents,
  commitId,
  COUNTERS_COLLECTION,
  OUTBOX_BATCHES_COLLECTION,
  type OutboxBatch,
  type OutboxEntry,
  OUTBOX_COLLECTION,
  type StoredCommit,
} from './stored-commit';

export interface StreamRead {
  readonly stream: string;
  /** 0 for a stream that has no events yet. */
  readonly version: number;
  readonly events: EventEnvelope[];
}

export interface Append {
  readonly stream: string;
  readonly expectedVersion: number;
  readonly events: readonly NewEvent[];
  /** Overrides the call's metadata for this stream, e.g. a causation of its own. */
  readonly metadata?: EventMetadata;
}

export interface AppendManyResult {
  readonly appended: Map<string, EventEnvelope[]>;
  /** Streams whose expected version was stale; nothing was written to them. */
  readonly conflicts: string[];
}

export interface EventStoreOptions {
  readonly clock?: () => Date;
  /** Largest event, as its published Kafka record in bytes; a larger one is refused. */
  readonly maxEventBytes?: number;
}

export interface StreamFilter {
  readonly group_definition_id?: number;
  readonly profile_id?: string;
}

/** A history filter: a group's or a profile's streams, or commits recorded since then. */
export interface HistoryFilter extends StreamFilter {
  readonly recorded_since?: Date;
}

/**
 * Append-only event store on MongoDB. Uses only what FerretDB serves: single-document
 * atomic inserts, unique `_id`, equality filters; no transactions.
 */
export class EventStore {
  private readonly outbox: Collection<OutboxEntry>;
  private readonly outboxBatches: Collection<OutboxBatch>;
  private readonly counters: Collection<{ _id: string; name: string; value: number }>;
  private readonly sequenceHints = new Map<string, number>();
  private readonly clock: () => Date;
  private readonly maxEventBytes: number;
  private readonly history: HistoryIndex;

  constructor(
    private readonly db: Db,
    options: EventStoreOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.outbox = db.collection<OutboxEntry>(OUTBOX_COLLECTION);
    this.outboxBatches = db.collection<OutboxBatch>(OUTBOX_BATCHES_COLLECTION);
    this.counters = db.collection(COUNTERS_COLLECTION);
    this.history = new HistoryIndex(db);
  }

  async ensureIndexes(): Promise<void> {
    for (const category of STREAM_CATEGORIES) {
      const commits = this.commits(category);
      await commits.createIndex({ stream: 1 });
      await commits.createIndex({ group_definition_id: 1 });
      await commits.createIndex({ profile_id: 1 });
      await commits.createIndex({ batch_id: 1 });
    }
    await this.outbox.createIndex({ batch_id: 1 });
    await this.history.ensureIndexes();
  }

  async readStream(stream: string): Promise<StreamRead> {
    const commits = await this.commits(streamCategory(stream)).find({ stream }).toArray();

    return toStreamRead(stream, commits);
  }

  /** Every stream of a category matching the filter, e.g. all pairs of one group. */
  async readStreams(
    category: StreamCategory,
    filter: StreamFilter,
  ): Promise<Map<string, StreamRead>> {
    const commits = await this.commits(category).find(filter).toArray();
    const byStream = new Map<string, StoredCommit[]>();
    for (const commit of commits) {
      const list = byStream.get(commit.stream) ?? [];
      list.push(commit);
      byStream.set(commit.stream, list);
    }

    return new Map([...byStream].map(([stream, list]) => [stream, toStreamRead(stream, list)]));
  }

  /**
   * Every event of the given categories' streams that match the filter (a group's, or
   * a profile's, or everything recorded since), in the order they were recorded;
   * commits recorded in the same millisecond keep stream and version order. Reads
   * and sorts them all in memory: for a long history, page with readGroupHistory.
   */
  async readHistory(
    categories: readonly StreamCategory[],
    filter: HistoryFilter,
  ): Promise<EventEnvelope[]> {
    const { recorded_since, ...streams } = filter;
    const query: Filter<StoredCommit> =
      recorded_since === undefined
        ? streams
        : { ...streams, recorded_at: { $gte: recorded_since } };
    const commits: StoredCommit[] = [];
    for (const category of categories) {
      commits.push(...(await this.commits(category).find(query).toArray()));
    }

    return inRecordedOrder(commits).flatMap((commit) => decodeEvents(commit));
  }

  /**
   * Events `[offset, offset + limit)` of a group's history (its definition,
   * evaluation and membership streams) and how many it has, reading about as much as
   * the page holds. The outbox relay indexes commits as it publishes them, so a
   * page shows what is published (moments after the append answered), in publishing
   * order: each stream in version order, whatever the writers' clocks said. Commits
   * stored before the index existed come first, in recorded order, taken in by the
   * first read or index that finds the group's history empty.
   */
  async readGroupHistory(
    groupDefinitionId: number,
    offset: number,
    limit: number,
  ): Promise<HistorySlice> {
    await this.history.extend(groupDefinitionId);

    return this.history.slice(groupHistoryKey(groupDefinitionId), offset, limit);
  }

  /** How many events a category holds (a scan of two numbers per commit). */
  async countEvents(category: StreamCategory): Promise<number> {
    let total = 0;
    const commits = this.commits(category).find(
      {},
      { projection: { _id: 0, version_from: 1, version_to: 1 } },
    );
    for await (const commit of commits) total += commit.version_to - commit.version_from + 1;

    return total;
  }

  /**
   * Every stream of a category, each with its events in order. Streams arrive one at
   * a time but the category is grouped in memory.
   * TODO: group on the server (or page by stream) so a rebuild of a very large
   * category runs in bounded memory.
   */
  async *readAllStreams(category: StreamCategory): AsyncGenerator<StreamRead> {
    const byStream = new Map<string, StoredCommit[]>();
    for await (const commit of this.commits(category).find({})) {
      const list = byStream.get(commit.stream) ?? [];
      list.push(commit);
      byStream.set(commit.stream, list);
    }
    for (const [stream, list] of byStream) {
      yield toStreamRead(stream, list);
    }
  }

  /** Appends to one stream; throws ConcurrencyError when expectedVersion is stale. */
  async append(
    stream: string,
    expectedVersion: number,
    events: readonly NewEvent[],
    metadata: EventMetadata,
  ): Promise<EventEnvelope[]> {
    const result = await this.appendMany([{ stream, expectedVersion, events }], metadata);
    if (result.conflicts.length > 0) {
      throw new ConcurrencyError(stream, expectedVersion);
    }

    return result.appended.get(stream) ?? [];
  }

  /**
   * Appends to many streams in one round of writes. Each stream's commit is atomic;
   * the batch is not: streams that conflict are reported and the rest are stored.
   * When this resolves, every appended event is durable and queued for the relay.
   * Throws EventTooLargeError, having written nothing, when an event would be too
   * large to publish, and AppendOutcomeUnknownError when MongoDB stops answering after
   * the commits were sent; any other failure leaves nothing stored.
   */
  async appendMany(appends: readonly Append[], metadata: EventMetadata): Promise<AppendManyResult> {
    const batchId = randomUUID();
    const now = this.clock();
    const envelopes = new Map(
      appends
        .filter((a) => a.events.length > 0)
        .map((a) => [a.stream, envelope(a, now, a.metadata ?? metadata)] as const),
    );
    assertEventsFit([...envelopes.values()].flat(), this.maxEventBytes);
    const planned = [...envelopes].map(([stream, events]) =>
      toCommit(stream, events, batchId, now),
    );
    const conflicts: string[] = [];
    if (planned.length === 0) return { appended: new Map(), conflicts };

    // 1. Announce the commits. A concurrent writer of the same version already holds
    //    the outbox _id, which surfaces the conflict before anything is stored.
    const intents = planned.map((commit) => toOutboxEntry(commit, now));
    const refusedIntents = await this.insertAll(this.outbox, intents);
    const announced = planned.filter((_, i) => !refusedIntents.has(i));
    planned.filter((_, i) => refusedIntents.has(i)).forEach((c) => conflicts.push(c.stream));

    // Once the commits are sent, a lost answer leaves their outcome unknown.
    let stored: StoredCommit[];
    try {
      stored = await this.storeAnnounced(batchId, announced, conflicts, now);
    } catch (error) {
      if (!isMongoUnavailable(error)) throw error;
      throw new AppendOutcomeUnknownError(
        announced.map((commit) => commit.stream),
        error,
      );
    }

    return {
      appended: new Map(stored.map((c) => [c.stream, envelopes.get(c.stream) ?? []])),
      conflicts,
    };
  }

  /** Steps 2 and 3 of an append; adds the streams whose commit was refused to `conflicts`. */
  private async storeAnnounced(
    batchId: string,
    announced: StoredCommit[],
    conflicts: string[],
    now: Date,
  ): Promise<StoredCommit[]> {
    // 2. Store them: the unique _id of a commit is the optimistic-concurrency check.
    const refusedCommits = await this.insertAll(this.commitsOf(announced), announced);
    const stored = announced.filter((_, i) => !refusedCommits.has(i));
    announced.filter((_, i) => refusedCommits.has(i)).forEach((c) => conflicts.push(c.stream));

    // 3. Withdraw the refused intents, then confirm the batch to the relay in one write.
    //    A crash in between leaves unconfirmed intents that the relay resolves itself.
    if (refusedCommits.size > 0) {
      const refused = announced.filter((_, i) => refusedCommits.has(i)).map((c) => c._id);
      await this.outbox.deleteMany({ batch_id: batchId, _id: { $in: refused } });
    }
    if (stored.length > 0) {
      await this.restoreWithdrawnIntents(batchId, stored, now);
      try {
        await this.outboxBatches.insertOne({ _id: batchId, confirmed_at: now });
      } catch (error) {
        // The relay confirmed it already, having found the commits stored.
        if (!isDuplicateKey(error)) throw error;
      }
    }

    return stored;
  }

  /**
   * The relay withdraws an intent it finds unconfirmed past its grace period and
   * without a stored commit. A writer paused that long between its two inserts would
   * then hold a stored commit with no entry, so it checks and puts the entries back.
   */
  private async restoreWithdrawnIntents(
    batchId: string,
    stored: StoredCommit[],
    now: Date,
  ): Promise<void> {
    if ((await this.outbox.countDocuments({ batch_id: batchId })) === stored.length) return;
    await this.insertAll(
      this.outbox,
      stored.map((commit) => toOutboxEntry(commit, now)),
    );
  }

  /**
   * Next value of a named sequence, e.g. numeric group definition ids. Each value is
   * claimed by inserting a document with a unique `_id`: FerretDB's findAndModify
   * with `$inc` hands the same value to concurrent callers, a unique insert cannot.
   */
  async nextSequence(name: string): Promise<number> {
    let candidate = (this.sequenceHints.get(name) ?? (await this.highestClaimed(name))) + 1;
    for (;;) {
      try {
        await this.counters.insertOne({ _id: `${name}:${candidate}`, name, value: candidate });
        this.sequenceHints.set(name, candidate);

        return candidate;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        candidate++;
      }
    }
  }

  private async highestClaimed(name: string): Promise<number> {
    const claimed = await this.counters.find({ name }, { projection: { value: 1 } }).toArray();

    return claimed.reduce((max, doc) => Math.max(max, doc.value), 0);
  }

  commits(category: StreamCategory): Collection<StoredCommit> {
    return this.db.collection<StoredCommit>(collectionFor(category));
  }

  private commitsOf(commits: StoredCommit[]): Collection<StoredCommit> {
    // A batch may mix categories only in theory; callers append one category at a time.
    const categories = new Set(commits.map((c) => streamCategory(c.stream)));
    if (categories.size > 1) {
      throw new Error('appendMany takes streams of one category per call');
    }
    const [category] = [...categories];

    return this.commits(category ?? 'group-definition');
  }

  private async insertAll<T extends { _id: string }>(
    collection: Collection<T>,
    docs: T[],
  ): Promise<Set<number>> {
    if (docs.length === 0) return new Set();
    try {
      // Unordered, so one duplicate does not stop the rest (MongoDB's ordered bulk
      // writes stop at the first error and leave a partial result).
      await collection.insertMany(docs as unknown as OptionalUnlessRequiredId<T>[], {
        ordered: false,
      });

      return new Set();
    } catch (error) {
      return duplicateIndexes(error);
    }
  }
}

function envelope(append: Append, now: Date, metadata: EventMetadata): EventEnvelope[] {
  const time = now.toISOString();

  return append.events.map((event, i): EventEnvelope => {
    if (!isEventType(event.type)) {
      throw new Error(`Event type ${event.type} is not in the catalogue`);
    }

    return {
      id: randomUUID(),
      type: event.type,
      schema_version: EVENT_CATALOGUE[event.type].schemaVersion,
      stream: append.stream,
      stream_version: append.expectedVersion + i + 1,
      time,
      correlation_id: metadata.correlation_id,
      causation_id: metadata.causation_id,
      actor: metadata.actor,
      data: event.data,
    };
  });
}

function toCommit(
  stream: string,
  events: EventEnvelope[],
  batchId: string,
  now: Date,
): StoredCommit {
  const versionFrom = events[0]?.stream_version ?? 1;
  const data = (events[0]?.data ?? {}) as { group_definition_id?: number; profile_id?: string };

  return {
    _id: commitId(stream, versionFrom),
    stream,
    version_from: versionFrom,
    version_to: versionFrom + events.length - 1,
    batch_id: batchId,
    recorded_at: now,
    group_definition_id: data.group_definition_id ?? null,
    profile_id: data.profile_id ?? null,
    history_indexed: true,
    events_json: encodeEvents(events),
  };
}

function toOutboxEntry(commit: StoredCommit, now: Date): OutboxEntry {
  return {
    _id: commit._id,
    stream: commit.stream,
    category: streamCategory(commit.stream),
    version_from: commit.version_from,
    batch_id: commit.batch_id,
    created_at: now,
    events_json: commit.events_json,
  };
}

function toStreamRead(stream: string, commits: StoredCommit[]): StreamRead {
  const events = commits
    .sort((a, b) => a.version_from - b.version_from)
    .flatMap((commit) => decodeEvents(commit));

  return { stream, version: events.length, events };
}
