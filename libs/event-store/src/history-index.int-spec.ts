import {
  type EventEnvelope,
  groupDefinitionStream,
  membershipStream,
  type NewEvent,
} from '@profile-groups/contracts';
import {
  connectTestDb,
  memberAddedEvent,
  memberRemovedEvent,
  silentLogger,
  testServers,
} from '@profile-groups/testing';
import { type Db, MongoClient } from 'mongodb';

import { EventStore } from './event-store';
import {
  checkHistoryIndex,
  HISTORY_RANGE_EVENTS,
  type HistoryRange,
  HISTORY_RANGES_COLLECTION,
  HistoryIndex,
} from './history-index';
import { OutboxRelay } from './outbox-relay';
import {
  collectionFor,
  commitId,
  decodeEvents,
  encodeEvents,
  OUTBOX_COLLECTION,
  type OutboxEntry,
  type StoredCommit,
} from './stored-commit';

const metadata = { correlation_id: 'corr-h', causation_id: null, actor: 'test' };

function deleted(groupId: number): NewEvent {
  return {
    type: 'GroupDefinitionDeleted',
    data: {
      group_definition_id: groupId,
      handle: `g-${groupId}`,
      deleted_at: '2026-01-03T00:00:00Z',
    },
  };
}

const profiles = (count: number) => Array.from({ length: count }, (_, i) => `p-${i}`);

function where(events: readonly EventEnvelope[]): [string, number][] {
  return events.map((e) => [e.stream, e.stream_version]);
}

/** A relay whose broker takes everything: only its indexing matters here. */
function relayOn(db: Db): OutboxRelay {
  return new OutboxRelay(
    db,
    { publish: () => Promise.resolve({ refused: [] }) },
    { pollIntervalMs: 10, intentGraceMs: 60_000 },
    silentLogger,
  );
}

/** Relays until the outbox is empty, as the running relay would within moments. */
async function drain(relay: OutboxRelay): Promise<void> {
  while ((await relay.relayOnce()) > 0);
}

describe('paged group history, indexed by the relay, on a real MongoDB wire server', () => {
  let client: MongoClient;
  let db: Db;
  let store: EventStore;

  beforeAll(async () => {
    ({ client, db } = await connectTestDb('history_index'));
    store = new EventStore(db);
    await store.ensureIndexes();
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  async function addAll(on: EventStore, group: number, ids: readonly string[]): Promise<void> {
    await addAllUnpublished(on, group, ids);
    await drain(relayOn(db));
  }

  async function addAllUnpublished(on: EventStore, group: number, ids: readonly string[]) {
    const result = await on.appendMany(
      ids.map((p) => ({
        stream: membershipStream(group, p),
        expectedVersion: 0,
        events: [memberAddedEvent(group, p)],
      })),
      metadata,
    );
    expect(result.conflicts).toEqual([]);
  }

  it('merges streams as published, never a commit before the one it follows, whatever the clocks', async () => {
    const at = (iso: string) => new EventStore(db, { clock: () => new Date(iso) });
    const relay = relayOn(db);
    await at('2026-06-01T10:00:00Z').append(
      membershipStream(1, 'a'),
      0,
      [memberAddedEvent(1, 'a')],
      metadata,
    );
    await drain(relay);
    await at('2026-06-01T10:00:01Z').append(
      membershipStream(1, 'b'),
      0,
      [memberAddedEvent(1, 'b')],
      metadata,
    );
    await at('2026-06-01T10:00:02Z').append(groupDefinitionStream(1), 0, [deleted(1)], metadata);
    // A writer whose clock runs an hour behind; all three go out in one pass.
    await at('2026-06-01T09:00:00Z').append(
      membershipStream(1, 'b'),
      1,
      [memberRemovedEvent(1, 'b')],
      metadata,
    );
    await at('2026-06-01T10:00:03Z').append(
      membershipStream(2, 'a'),
      0,
      [memberAddedEvent(2, 'a')],
      metadata,
    );
    // Nothing shows before the relay has it: the page follows publishing.
    expect((await store.readGroupHistory(1, 0, 25)).total).toBe(1);
    await drain(relay);

    const history = await store.readGroupHistory(1, 0, 25);

    expect(history.total).toBe(4);
    expect(where(history.events)).toEqual([
      [membershipStream(1, 'a'), 1],
      [membershipStream(1, 'b'), 1],
      [membershipStream(1, 'b'), 2],
      [groupDefinitionStream(1), 1],
    ]);
  });

  it('indexes a commit once when a relay dies after indexing, before trimming', async () => {
    await addAllUnpublished(store, 7, profiles(HISTORY_RANGE_EVENTS + 5));
    const entries = await db.collection<OutboxEntry>(OUTBOX_COLLECTION).find({}).toArray();
    // Killed after indexing part of the pass, then again after all of it.
    await new HistoryIndex(db).indexPublished(entries.slice(0, 100));
    await new HistoryIndex(db).indexPublished(entries);
    // Two relays at once (k8s runs one) still add none of it twice.
    await Promise.all([drain(relayOn(db)), drain(relayOn(db))]);

    const history = await new EventStore(db).readGroupHistory(7, 0, 500);

    expect(history.total).toBe(HISTORY_RANGE_EVENTS + 5);
    expect(new Set(history.events.map((e) => e.id)).size).toBe(history.total);
  });

  it('keeps a history dense and in order when another writer took a position meanwhile', async () => {
    // More than FerretDB's internal batch of 100 inserts: past a refused document it
    // skips the rest of that batch but stores the later batches.
    await addAllUnpublished(store, 8, profiles(150));
    const entries = (await db.collection<OutboxEntry>(OUTBOX_COLLECTION).find({}).toArray()).sort(
      (a, b) => (a.stream < b.stream ? -1 : 1),
    );
    const index = new HistoryIndex(db);
    await index.indexPublished(entries.slice(0, 3));
    // Another writer (a reader taking in old commits, say) puts a range at position 3
    // while this process still believes the history ends there.
    const foreign = {
      ...decodeEvents(entries[0]!)[0]!,
      id: 'foreign',
      stream: 'group-definition-8',
    };
    await db.collection<HistoryRange>(HISTORY_RANGES_COLLECTION).insertOne({
      _id: 'group:8#3',
      key: 'group:8',
      chunk_key: 'foreign',
      bucket: 'group:8#b0',
      start: 3,
      end: 4,
      events_json: encodeEvents([foreign]),
    });
    await index.indexPublished(entries.slice(3));

    const history = await new EventStore(db).readGroupHistory(8, 0, 500);

    expect(history.events.map((e) => e.id)).toEqual([
      ...entries.slice(0, 3).map((e) => decodeEvents(e)[0]!.id),
      'foreign',
      ...entries.slice(3).map((e) => decodeEvents(e)[0]!.id),
    ]);
  });

  it('cuts pages at any offset, across ranges, and answers nothing past the end', async () => {
    const ids = profiles(HISTORY_RANGE_EVENTS * 2 + 17);
    await addAll(store, 3, ids);
    const all = ids.map((p) => membershipStream(3, p)).sort();

    for (const [offset, limit] of [
      [0, 25],
      [HISTORY_RANGE_EVENTS - 3, 7],
      [HISTORY_RANGE_EVENTS * 2 - 1, 500],
      [1, HISTORY_RANGE_EVENTS * 2],
    ] as const) {
      const page = await store.readGroupHistory(3, offset, limit);
      expect(page.total).toBe(ids.length);
      expect(page.events.map((e) => e.stream)).toEqual(all.slice(offset, offset + limit));
    }
    expect(await store.readGroupHistory(3, ids.length, 25)).toEqual({
      events: [],
      total: ids.length,
    });
    expect(await store.readGroupHistory(404, 0, 25)).toEqual({ events: [], total: 0 });
  });

  it('keeps one dense history under concurrent writers, each stream in order', async () => {
    const writers = Array.from({ length: 4 }, () => new EventStore(db));
    // One relay, as deployed (k8s runs exactly one): the index's only writer.
    const relays = [relayOn(db)];
    await Promise.all([
      ...writers.map(async (writer, w) => {
        for (let round = 0; round < 5; round++) {
          const ids = profiles(3).map((p) => `${p}-w${w}-r${round}`);
          await addAllUnpublished(writer, 4, ids);
          await writer.append(
            membershipStream(4, ids[0]!),
            1,
            [memberRemovedEvent(4, ids[0]!)],
            metadata,
          );
        }
      }),
      ...relays.map(async (relay) => {
        for (let pass = 0; pass < 20; pass++) await relay.relayOnce();
      }),
    ]);
    await drain(relays[0]!);

    const history = await new EventStore(db).readGroupHistory(4, 0, 500);

    expect(history.total).toBe(4 * 5 * 4);
    expect(new Set(history.events.map((e) => e.id)).size).toBe(history.total);
    const seen = new Map<string, number>();
    for (const event of history.events) {
      expect(event.stream_version).toBe((seen.get(event.stream) ?? 0) + 1);
      seen.set(event.stream, event.stream_version);
    }
  });

  it('finds where a long history ends from a fresh process and appends after it', async () => {
    const ids = profiles(HISTORY_RANGE_EVENTS * 5);
    for (let i = 0; i < ids.length; i += 100) await addAll(store, 5, ids.slice(i, i + 100));

    // A range that starts in one bucket and ends in the next.
    const straddling = await store.readGroupHistory(5, HISTORY_RANGE_EVENTS, 10);
    expect(straddling.events.map((e) => e.stream)).toEqual(
      ids.slice(HISTORY_RANGE_EVENTS, HISTORY_RANGE_EVENTS + 10).map((p) => membershipStream(5, p)),
    );

    await new EventStore(db).append(groupDefinitionStream(5), 0, [deleted(5)], metadata);
    // A relay started afresh, which has to find where the history ends.
    await drain(relayOn(db));
    const tail = await new EventStore(db).readGroupHistory(5, ids.length - 1, 25);

    expect(tail.total).toBe(ids.length + 1);
    expect(where(tail.events)).toEqual([
      [membershipStream(5, ids[ids.length - 1]!), 1],
      [groupDefinitionStream(5), 1],
    ]);
  });

  it('takes in commits stored before the index first, in recorded order, once', async () => {
    // Commits as an older version stored them: no history_indexed, no range.
    const legacy = (
      stream: string,
      at: string,
      version = 1,
      event: NewEvent = memberAddedEvent(6, stream),
    ) => {
      const envelope: EventEnvelope = {
        id: `legacy-${stream}-${version}`,
        type: event.type,
        schema_version: 1,
        stream,
        stream_version: version,
        time: at,
        correlation_id: 'old',
        causation_id: null,
        actor: 'old',
        data: event.data,
      };
      const commit: StoredCommit = {
        _id: commitId(stream, version),
        stream,
        version_from: version,
        version_to: version,
        batch_id: `legacy-${stream}`,
        recorded_at: new Date(at),
        group_definition_id: 6,
        profile_id: stream.split('-').pop() ?? null,
        events_json: encodeEvents([envelope]),
      };

      return commit;
    };
    const members = db.collection<StoredCommit>(collectionFor('group-member'));
    await members.insertMany([
      legacy(membershipStream(6, 'y'), '2026-01-01T00:00:02Z'),
      legacy(membershipStream(6, 'x'), '2026-01-01T00:00:01Z'),
      legacy(membershipStream(6, 'x'), '2026-01-01T00:00:00Z', 2, memberRemovedEvent(6, 'x')),
    ]);

    // Two readers race to take them in while a relay indexes a new commit.
    await new EventStore(db).append(
      membershipStream(6, 'z'),
      0,
      [memberAddedEvent(6, 'z')],
      metadata,
    );
    const [first, second] = await Promise.all([
      new EventStore(db).readGroupHistory(6, 0, 25),
      new EventStore(db).readGroupHistory(6, 0, 25),
      drain(relayOn(db)),
    ]);
    const history = await new EventStore(db).readGroupHistory(6, 0, 25);

    expect(history.total).toBe(4);
    expect(where(history.events.slice(0, 3))).toEqual([
      [membershipStream(6, 'x'), 1],
      [membershipStream(6, 'x'), 2],
      [membershipStream(6, 'y'), 1],
    ]);
    expect(where(history.events.slice(3))).toEqual([[membershipStream(6, 'z'), 1]]);
    expect(first.total).toBeGreaterThanOrEqual(3);
    expect(second.total).toBeGreaterThanOrEqual(3);
    const ranges = await db
      .collection(HISTORY_RANGES_COLLECTION)
      .countDocuments({ key: 'group:6' });
    expect(ranges).toBeLessThanOrEqual(2);
  });

  it('lets verify find a history that lost, repeated or reordered an event', async () => {
    await addAll(store, 9, profiles(4));
    await store.append(membershipStream(9, 'p-0'), 1, [memberRemovedEvent(9, 'p-0')], metadata);
    await drain(relayOn(db));
    const ofGroup9 = async () =>
      (await checkHistoryIndex(db)).filter((p) => p.group_definition_id === 9);
    expect(await ofGroup9()).toEqual([]);

    const ranges = db.collection<HistoryRange>(HISTORY_RANGES_COLLECTION);
    const all = await ranges.find({ key: 'group:9' }).sort({ start: 1 }).toArray();
    const [first, second, , , last] = all;
    // The pair's removal moved before its add, another range dropped, one repeated.
    await ranges.updateOne({ _id: first!._id }, { $set: { events_json: last!.events_json } });
    await ranges.updateOne({ _id: last!._id }, { $set: { events_json: first!.events_json } });
    await ranges.deleteOne({ _id: second!._id });
    await ranges.insertOne({ ...all[2]!, _id: 'group:9#5', chunk_key: 'again', start: 5, end: 6 });

    expect((await ofGroup9()).map((p) => p.problem).sort()).toEqual([
      'duplicated',
      'missing',
      'not_dense',
      'out_of_stream_order',
    ]);
  });

  it('finds how far a history grew since it last looked in a few queries, not one per commit', async () => {
    // A process of its own, whose queries are counted.
    const watched = await MongoClient.connect(testServers().mongoUrl, { monitorCommands: true });
    try {
      const reader = new EventStore(watched.db(db.databaseName));
      await addAll(store, 10, profiles(1));
      expect((await reader.readGroupHistory(10, 0, 1)).total).toBe(1);
      await addAll(store, 10, profiles(HISTORY_RANGE_EVENTS * 3).slice(1));

      let queries = 0;
      watched.on('commandStarted', (event) => {
        if (event.commandName === 'find') queries++;
      });
      const page = await reader.readGroupHistory(10, 0, 1);

      expect(page.total).toBe(HISTORY_RANGE_EVENTS * 3);
      expect(queries).toBeLessThan(20);
    } finally {
      await watched.close();
    }
  });
});
