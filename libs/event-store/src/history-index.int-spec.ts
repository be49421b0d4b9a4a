import {
  type EventEnvelope,
  groupDefinitionStream,
  membershipStream,
  type NewEvent,
} from '@profile-groups/contracts';
import { connectTestDb } from '@profile-groups/testing';
import { type Db, type MongoClient } from 'mongodb';

import { EventStore } from './event-store';
import { HISTORY_RANGE_EVENTS, HISTORY_RANGES_COLLECTION } from './history-index';
import { collectionFor, commitId, encodeEvents, type StoredCommit } from './stored-commit';

const metadata = { correlation_id: 'corr-h', causation_id: null, actor: 'test' };

function added(groupId: number, profileId: string): NewEvent {
  return {
    type: 'MemberAdded',
    data: {
      group_definition_id: groupId,
      profile_id: profileId,
      membership_id: `m-${profileId}`,
      added_at: '2026-01-01T00:00:00.000Z',
      expires_at: null,
      added_by_profile_id: null,
      source_type: null,
      source_id: null,
      meta: null,
    },
  };
}

function removed(groupId: number, profileId: string): NewEvent {
  return {
    type: 'MemberRemoved',
    data: {
      group_definition_id: groupId,
      profile_id: profileId,
      membership_id: `m-${profileId}`,
      removed_at: '2026-01-02T00:00:00.000Z',
      reason: 'manual',
      removed_reason: null,
      removed_by_profile_id: null,
    },
  };
}

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

describe('EventStore paged group history on a real MongoDB wire server', () => {
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
    const result = await on.appendMany(
      ids.map((p) => ({
        stream: membershipStream(group, p),
        expectedVersion: 0,
        events: [added(group, p)],
      })),
      metadata,
    );
    expect(result.conflicts).toEqual([]);
  }

  it('merges streams in the order appended, even when a later commit is stamped earlier', async () => {
    const at = (iso: string) => new EventStore(db, { clock: () => new Date(iso) });
    await at('2026-06-01T10:00:00Z').append(membershipStream(1, 'a'), 0, [added(1, 'a')], metadata);
    await at('2026-06-01T10:00:01Z').append(membershipStream(1, 'b'), 0, [added(1, 'b')], metadata);
    // A writer whose clock runs an hour behind.
    await at('2026-06-01T09:00:00Z').append(
      membershipStream(1, 'a'),
      1,
      [removed(1, 'a')],
      metadata,
    );
    await at('2026-06-01T10:00:02Z').append(groupDefinitionStream(1), 0, [deleted(1)], metadata);
    await at('2026-06-01T10:00:03Z').append(membershipStream(2, 'a'), 0, [added(2, 'a')], metadata);

    const history = await store.readGroupHistory(1, 0, 25);

    expect(history.total).toBe(4);
    expect(where(history.events)).toEqual([
      [membershipStream(1, 'a'), 1],
      [membershipStream(1, 'b'), 1],
      [membershipStream(1, 'a'), 2],
      [groupDefinitionStream(1), 1],
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
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let round = 0; round < 5; round++) {
          const ids = profiles(3).map((p) => `${p}-w${w}-r${round}`);
          await addAll(writer, 4, ids);
          await writer.append(membershipStream(4, ids[0]!), 1, [removed(4, ids[0]!)], metadata);
        }
      }),
    );

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

    const fresh = new EventStore(db);
    await fresh.append(groupDefinitionStream(5), 0, [deleted(5)], metadata);
    const tail = await new EventStore(db).readGroupHistory(5, ids.length - 1, 25);

    expect(tail.total).toBe(ids.length + 1);
    expect(where(tail.events)).toEqual([
      [membershipStream(5, ids[ids.length - 1]!), 1],
      [groupDefinitionStream(5), 1],
    ]);
  });

  it('takes in commits stored before the index first, in recorded order, once', async () => {
    // Commits as an older version stored them: no history_indexed, no range.
    const legacy = (stream: string, at: string, version = 1, event = added(6, stream)) => {
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
      legacy(membershipStream(6, 'x'), '2026-01-01T00:00:00Z', 2, removed(6, 'x')),
    ]);

    // Two processes race to take them in while a third appends.
    const [first, second] = await Promise.all([
      new EventStore(db).readGroupHistory(6, 0, 25),
      new EventStore(db).readGroupHistory(6, 0, 25),
      new EventStore(db).append(membershipStream(6, 'z'), 0, [added(6, 'z')], metadata),
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
});
