import { groupDefinitionStream, membershipStream, type NewEvent } from '@profile-groups/contracts';
import { connectTestDb, memberAddedEvent, memberRemovedEvent } from '@profile-groups/testing';
import { type Db, type MongoClient } from 'mongodb';

import { EventStore } from './event-store';
import { ConcurrencyError, EventTooLargeError } from './event-store.errors';
import { collectionFor, OUTBOX_BATCHES_COLLECTION, OUTBOX_COLLECTION } from './stored-commit';

const metadata = { correlation_id: 'corr-1', causation_id: null, actor: 'test' };

describe('EventStore on a real MongoDB wire server', () => {
  let client: MongoClient;
  let db: Db;
  let store: EventStore;

  beforeAll(async () => {
    ({ client, db } = await connectTestDb('event_store'));
    store = new EventStore(db);
    await store.ensureIndexes();
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('stores a commit durably before append resolves and reads it back in order', async () => {
    const stream = membershipStream(1, 'p-1');
    await store.append(stream, 0, [memberAddedEvent(1, 'p-1')], metadata);
    await store.append(stream, 1, [memberRemovedEvent(1, 'p-1')], metadata);

    // A separate client sees the events: append resolved only after the write.
    const other = await connectTestDb();
    const read = await new EventStore(other.client.db(db.databaseName)).readStream(stream);
    await other.client.close();
    expect(read.version).toBe(2);
    expect(read.events.map((e) => [e.type, e.stream_version])).toEqual([
      ['MemberAdded', 1],
      ['MemberRemoved', 2],
    ]);
    expect(read.events[0]).toMatchObject({
      correlation_id: 'corr-1',
      actor: 'test',
      schema_version: 1,
    });
  });

  it('refuses a second writer that read the same version (optimistic concurrency)', async () => {
    const stream = membershipStream(2, 'p-2');
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        store.append(stream, 0, [memberAddedEvent(2, 'p-2')], metadata),
      ),
    );
    const succeeded = attempts.filter((a) => a.status === 'fulfilled');
    const refused = attempts.filter(
      (a) => a.status === 'rejected' && a.reason instanceof ConcurrencyError,
    );
    expect(succeeded).toHaveLength(1);
    expect(refused).toHaveLength(7);
    expect((await store.readStream(stream)).version).toBe(1);
  });

  it('appends many streams at once and reports only the stale ones as conflicts', async () => {
    await store.append(membershipStream(3, 'taken'), 0, [memberAddedEvent(3, 'taken')], metadata);
    const result = await store.appendMany(
      ['a', 'b', 'taken', 'c'].map((p) => ({
        stream: membershipStream(3, p),
        expectedVersion: 0,
        events: [memberAddedEvent(3, p)],
      })),
      metadata,
    );
    expect(result.conflicts).toEqual([membershipStream(3, 'taken')]);
    expect([...result.appended.keys()].sort()).toEqual(
      ['a', 'b', 'c'].map((p) => membershipStream(3, p)),
    );
    const pairs = await store.readStreams('group-member', { group_definition_id: 3 });
    expect(pairs.size).toBe(4);
  });

  it('leaves a confirmed outbox entry per stored commit and none for a refused one', async () => {
    const outbox = db.collection(OUTBOX_COLLECTION);
    const stream = groupDefinitionStream(99);
    const event: NewEvent = {
      type: 'GroupDefinitionDeleted',
      data: { group_definition_id: 99, handle: 'h', deleted_at: '2026-01-01T00:00:00.000Z' },
    };
    await store.append(stream, 0, [event], metadata);
    await expect(store.append(stream, 0, [event], metadata)).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    const entries = await outbox.find({ stream }).toArray();
    expect(entries.map((e) => e._id)).toEqual([`${stream}@1`]);
    const confirmation = await db
      .collection(OUTBOX_BATCHES_COLLECTION)
      .findOne({ _id: entries[0]!.batch_id });
    expect(confirmation).not.toBeNull();
  });

  it('refuses a whole append with an event too large to publish, writing nothing', async () => {
    const limited = new EventStore(db, { maxEventBytes: 64 * 1024 });
    const big = memberAddedEvent(4, 'big');
    // 30,000 UTF-16 units, 90,000 bytes of UTF-8.
    const meta = { note: '東'.repeat(30_000) };
    const appends = ['a', 'big', 'c'].map((p) => ({
      stream: membershipStream(4, p),
      expectedVersion: 0,
      events: [
        p === 'big' ? { ...big, data: { ...(big.data as object), meta } } : memberAddedEvent(4, p),
      ],
    }));
    const before = await db.collection(OUTBOX_BATCHES_COLLECTION).countDocuments({});

    const refusal = limited.appendMany(appends, metadata);

    await expect(refusal).rejects.toBeInstanceOf(EventTooLargeError);
    await expect(refusal).rejects.toMatchObject({
      stream: membershipStream(4, 'big'),
      eventType: 'MemberAdded',
      maxBytes: 64 * 1024,
    });
    const commits = db.collection(collectionFor('group-member'));
    expect(await commits.countDocuments({ group_definition_id: 4 })).toBe(0);
    expect(
      await db
        .collection(OUTBOX_COLLECTION)
        .countDocuments({ stream: { $in: appends.map((a) => a.stream) } }),
    ).toBe(0);
    expect(await db.collection(OUTBOX_BATCHES_COLLECTION).countDocuments({})).toBe(before);
    // The same event fits the default limit.
    await expect(store.appendMany(appends, metadata)).resolves.toMatchObject({ conflicts: [] });
  });

  it("reads a group's or a profile's history across streams in recorded order", async () => {
    // Two writers whose clocks disagree: the second commit of a stream is stamped
    // earlier than its first, yet never sorts before it.
    let now = Date.parse('2026-06-01T10:00:00.000Z');
    const at = (ms: number) => () => new Date((now = ms));
    const early = new EventStore(db, { clock: at(now) });
    await early.append(membershipStream(9, 'h-1'), 0, [memberAddedEvent(9, 'h-1')], metadata);
    await new EventStore(db, { clock: at(now + 10) }).append(
      membershipStream(9, 'h-2'),
      0,
      [memberAddedEvent(9, 'h-2')],
      metadata,
    );
    await new EventStore(db, { clock: at(now - 1_000) }).append(
      membershipStream(9, 'h-1'),
      1,
      [memberRemovedEvent(9, 'h-1')],
      metadata,
    );
    await new EventStore(db, { clock: at(now + 5_000) }).append(
      membershipStream(8, 'h-1'),
      0,
      [memberAddedEvent(8, 'h-1')],
      metadata,
    );

    const group = await store.readHistory(['group-member'], { group_definition_id: 9 });
    expect(group.map((e) => [e.stream, e.stream_version])).toEqual([
      [membershipStream(9, 'h-1'), 1],
      [membershipStream(9, 'h-1'), 2],
      [membershipStream(9, 'h-2'), 1],
    ]);
    const profile = await store.readHistory(['group-member'], { profile_id: 'h-1' });
    expect(
      profile.map((e) => [e.type, (e.data as { group_definition_id: number }).group_definition_id]),
    ).toEqual([
      ['MemberAdded', 9],
      ['MemberRemoved', 9],
      ['MemberAdded', 8],
    ]);
  });

  it('hands out increasing sequence numbers under concurrency', async () => {
    const values = await Promise.all(
      Array.from({ length: 20 }, () => store.nextSequence('seq-test')),
    );
    expect(new Set(values).size).toBe(20);
    expect(Math.max(...values)).toBe(20);
  });
});
