import {
  CE,
  type EventEnvelope,
  membershipStream,
  type NewEvent,
  profileStream,
  TOPICS,
  type TopicKey,
  topicName,
} from '@profile-groups/contracts';
import {
  decodeEvents,
  encodeEvents,
  EventStore,
  OUTBOX_BATCHES_COLLECTION,
  OUTBOX_COLLECTION,
  OUTBOX_DEAD_LETTERS_COLLECTION,
  type OutboxDeadLetter,
  type OutboxEntry,
  OutboxRelay,
} from '@profile-groups/event-store';
import {
  collectTopics,
  connectTestDb,
  createTestTopics,
  silentLogger,
  testKafka,
  uniqueName,
  waitFor,
} from '@profile-groups/testing';
import { type Kafka } from 'kafkajs';
import { type Db, type MongoClient } from 'mongodb';

import { EventConsumer } from './event-consumer';
import { KafkaEventPublisher } from './event-publisher';
import { PermanentFailure } from './failures';

const metadata = { correlation_id: 'corr-relay', causation_id: null, actor: 'test' };

function membershipEvent(groupId: number, profileId: string, n: number): NewEvent {
  return n % 2 === 1
    ? {
        type: 'MemberAdded',
        data: {
          group_definition_id: groupId,
          profile_id: profileId,
          membership_id: `m-${profileId}-${n}`,
          added_at: '2026-01-01T00:00:00.000Z',
          expires_at: null,
          added_by_profile_id: null,
          source_type: null,
          source_id: null,
          meta: null,
        },
      }
    : {
        type: 'MemberRemoved',
        data: {
          group_definition_id: groupId,
          profile_id: profileId,
          membership_id: `m-${profileId}-${n - 1}`,
          removed_at: '2026-01-01T00:00:00.000Z',
          reason: 'manual',
          removed_reason: null,
          removed_by_profile_id: null,
        },
      };
}

describe('outbox relay and event consumer on real Kafka', () => {
  let client: MongoClient;
  let db: Db;
  let kafka: Kafka;
  let prefix: string;
  let store: EventStore;
  let publisher: KafkaEventPublisher;

  beforeAll(async () => {
    ({ client, db } = await connectTestDb('relay'));
    kafka = testKafka();
    prefix = await createTestTopics(kafka);
    store = new EventStore(db);
    await store.ensureIndexes();
    publisher = new KafkaEventPublisher(kafka, prefix, '/test');
  });

  afterAll(async () => {
    await publisher.disconnect();
    await db.dropDatabase();
    await client.close();
  });

  it('publishes every stored event in stream order, as CloudEvents, and resumes after a crash', async () => {
    const collector = await collectTopics(kafka, [topicName(prefix, 'memberships')]);
    const streams = ['a', 'b', 'c'].map((p) => membershipStream(7, p));
    // Ten alternating events per pair, appended one by one.
    for (let n = 1; n <= 10; n++) {
      for (const [i, stream] of streams.entries()) {
        await store.append(stream, n - 1, [membershipEvent(7, ['a', 'b', 'c'][i]!, n)], metadata);
      }
    }

    // A relay that "crashes" after publishing without deleting: its publish goes
    // through, then the process dies before the outbox is trimmed.
    const crashing = new OutboxRelay(
      db,
      {
        publish: async (events: readonly EventEnvelope[]) => {
          await publisher.publish(events.slice(0, 7));
          throw new Error('killed mid-flight');
        },
      },
      { pollIntervalMs: 10, intentGraceMs: 1000 },
      silentLogger,
    );
    await expect(crashing.relayOnce()).rejects.toThrow('killed mid-flight');
    expect(await db.collection(OUTBOX_COLLECTION).countDocuments({})).toBe(30);

    const relay = new OutboxRelay(
      db,
      publisher,
      { pollIntervalMs: 10, intentGraceMs: 1000 },
      silentLogger,
    );
    relay.start();
    await waitFor(async () => (await db.collection(OUTBOX_COLLECTION).countDocuments({})) === 0, {
      what: 'outbox drained',
    });
    await relay.stop();
    await waitFor(() => collector.messages.length >= 37, { what: '37 messages' });
    await collector.stop();

    // At least once: all 30 events arrived, 7 of them twice, with the same ids.
    const ids = collector.messages.map((m) => m.headers[CE.id]);
    expect(new Set(ids).size).toBe(30);
    expect(ids).toHaveLength(37);
    for (const stream of streams) {
      const versions = collector.messages
        .filter((m) => m.key === stream)
        .map((m) => Number(m.headers[CE.streamversion]));
      // In order within the stream (a duplicate may repeat a prefix, never reorder).
      const deduped = versions.filter((v, i) => versions.indexOf(v) === i);
      expect(deduped).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const firstPass = versions.slice(0, versions.lastIndexOf(1));
      expect(firstPass).toEqual([...firstPass].sort((x, y) => x - y));
    }
    const sample = collector.messages[0]!;
    expect(sample.headers).toMatchObject({
      [CE.specversion]: '1.0',
      [CE.contentType]: 'application/json',
      [CE.correlationid]: 'corr-relay',
    });
    expect(JSON.parse(sample.value!)).toHaveProperty('profile_id');
  });

  it('publishes a commit whose writer died before confirming it, and drops one never stored', async () => {
    const stored = membershipStream(8, 'orphan');
    await store.append(stored, 0, [membershipEvent(8, 'orphan', 1)], metadata);
    const outbox = db.collection<OutboxEntry>(OUTBOX_COLLECTION);
    const [entry] = await outbox.find({ stream: stored }).toArray();
    // The crash window: the commit is stored, the batch never confirmed.
    await db
      .collection<{ _id: string }>(OUTBOX_BATCHES_COLLECTION)
      .deleteOne({ _id: entry!.batch_id });
    // And a writer that died before its commit: an entry with nothing behind it.
    const ghost = membershipStream(8, 'ghost');
    await outbox.insertOne({
      ...entry!,
      _id: `${ghost}@1`,
      stream: ghost,
      batch_id: 'batch-of-a-dead-writer',
      events_json: encodeEvents(decodeEvents(entry!).map((e) => ({ ...e, stream: ghost }))),
    });

    const published: string[] = [];
    const relay = new OutboxRelay(
      db,
      {
        publish: (events) => {
          published.push(...events.map((e) => e.stream));

          return Promise.resolve({ refused: [] });
        },
      },
      { pollIntervalMs: 10, intentGraceMs: 0 },
      silentLogger,
    );
    await relay.relayOnce();
    await relay.relayOnce();
    await relay.relayOnce();
    expect(published).toEqual([stored]);
    expect(
      await db.collection(OUTBOX_COLLECTION).countDocuments({ stream: { $in: [stored, ghost] } }),
    ).toBe(0);
    expect(await db.collection(OUTBOX_BATCHES_COLLECTION).countDocuments({})).toBe(0);
  });

  it('retries transient failures, dead-letters permanent ones and unknown types, and carries on', async () => {
    const stream = membershipStream(9, 'poison');
    const deadLetters = await collectTopics(kafka, [topicName(prefix, 'deadLetter')]);
    const handled: number[] = [];
    let transientFailures = 0;
    const consumer = new EventConsumer(
      kafka,
      {
        groupId: uniqueName('consumer'),
        topics: [topicName(prefix, 'memberships')],
        deadLetterTopic: topicName(prefix, 'deadLetter'),
        maxAttempts: 4,
        retryBaseMs: 5,
        dispatch: () => (event) => {
          if (event.stream !== stream) return Promise.resolve();
          if (event.stream_version === 2 && transientFailures < 2) {
            transientFailures++;

            return Promise.reject(new Error('mongo hiccup'));
          }
          if (event.stream_version === 3) {
            return Promise.reject(new PermanentFailure('test.refused', 'bad data'));
          }
          handled.push(event.stream_version);

          return Promise.resolve();
        },
      },
      silentLogger,
    );
    await consumer.start();
    for (let n = 1; n <= 4; n++) {
      await store.append(stream, n - 1, [membershipEvent(9, 'poison', n)], metadata);
    }
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: topicName(prefix, 'memberships'),
      messages: [
        { key: 'x', value: 'not json', headers: { [CE.specversion]: '1.0' } },
        {
          key: 'y',
          value: '{}',
          headers: {
            [CE.specversion]: '1.0',
            [CE.id]: 'u1',
            [CE.type]: 'SomethingElse',
            [CE.schemaversion]: '1',
            [CE.stream]: 'y',
            [CE.streamversion]: '1',
            [CE.time]: new Date().toISOString(),
            [CE.correlationid]: 'c',
          },
        },
      ],
    });
    await producer.disconnect();
    await publisher.publish((await store.readStream(stream)).events);

    await waitFor(() => handled.includes(4), { what: 'stream handled past the poison message' });
    await waitFor(() => deadLetters.messages.length >= 3, { what: 'three dead letters' });
    await consumer.stop();
    await deadLetters.stop();

    expect(handled).toEqual([1, 2, 4]);
    expect(transientFailures).toBe(2);
    const codes = deadLetters.messages.map((m) => m.headers.dlq_error_code).sort();
    expect(codes).toEqual(['event.schema_violation', 'malformed_record', 'test.refused']);
    const refused = deadLetters.messages.find((m) => m.headers.dlq_error_code === 'test.refused')!;
    expect(refused.headers).toMatchObject({
      dlq_reason: 'bad data',
      dlq_attempts: '1',
      [CE.streamversion]: '3',
    });
  });
});

function profileUpserted(profileId: string, note: string): NewEvent {
  return {
    type: 'ProfileUpserted',
    data: { profile_id: profileId, attributes: { note }, upserted_at: '2026-01-01T00:00:00.000Z' },
  };
}

describe('outbox relay past events the broker cannot take', () => {
  /** The profiles topic takes records of up to this many bytes, less than the relay's limit. */
  const TOPIC_MAX_BYTES = 200_000;
  let client: MongoClient;
  let db: Db;
  let kafka: Kafka;
  let prefix: string;
  let publisher: KafkaEventPublisher;

  beforeAll(async () => {
    ({ client, db } = await connectTestDb('relay_sizes'));
    kafka = testKafka();
    prefix = `${uniqueName('t')}.`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: (Object.keys(TOPICS) as TopicKey[]).map((key) => ({
        topic: topicName(prefix, key),
        numPartitions: 3,
        configEntries:
          key === 'profiles' ? [{ name: 'max.message.bytes', value: String(TOPIC_MAX_BYTES) }] : [],
      })),
    });
    await admin.disconnect();
    publisher = new KafkaEventPublisher(kafka, prefix, '/test', { maxRequestBytes: 1_048_576 });
  });

  afterAll(async () => {
    await publisher.disconnect();
    await db.dropDatabase();
    await client.close();
  });

  it('dead-letters an oversized event and one the broker refuses, and publishes every other in order', async () => {
    // Events stored before the store refused large ones (its limit was generous then).
    const store = new EventStore(db, { maxEventBytes: 4 * 1024 * 1024 });
    await store.ensureIndexes();
    const huge = '東京都渋谷区'.repeat(85_000); // 510,000 UTF-16 units, 1.5 MB
    const refusedByTopic = 'x'.repeat(300_000); // fits the relay's limit, not the topic's
    const [a, b, c] = ['a', 'b', 'c'].map((id) => profileStream(id));
    const member = membershipStream(11, 'p');
    await store.append(a!, 0, [profileUpserted('a', 'v1'), profileUpserted('a', huge)], metadata);
    await store.append(a!, 2, [profileUpserted('a', 'v3')], metadata);
    await store.append(b!, 0, [profileUpserted('b', 'v1')], metadata);
    await store.append(b!, 1, [profileUpserted('b', refusedByTopic)], metadata);
    await store.append(b!, 2, [profileUpserted('b', 'v3')], metadata);
    for (let n = 1; n <= 4; n++) {
      await store.append(c!, n - 1, [profileUpserted('c', `v${n}`)], metadata);
      await store.append(member, n - 1, [membershipEvent(11, 'p', n)], metadata);
    }
    const collector = await collectTopics(kafka, [
      topicName(prefix, 'profiles'),
      topicName(prefix, 'memberships'),
    ]);
    const relay = new OutboxRelay(
      db,
      publisher,
      { pollIntervalMs: 10, intentGraceMs: 1000 },
      silentLogger,
    );

    relay.start();
    const outbox = db.collection(OUTBOX_COLLECTION);
    try {
      await waitFor(async () => (await outbox.countDocuments({})) === 0, {
        what: 'outbox drained',
      });
      // The relay is not stuck: a later event of a stream with a dead letter goes out too.
      await store.append(a!, 3, [profileUpserted('a', 'v4')], metadata);
      await waitFor(async () => (await outbox.countDocuments({})) === 0, { what: 'a@4 relayed' });
    } finally {
      await relay.stop();
    }

    const versionsOf = (stream: string) => {
      const seen = collector.messages
        .filter((m) => m.key === stream)
        .map((m) => Number(m.headers[CE.streamversion]));

      return seen.filter((v, i) => seen.indexOf(v) === i);
    };
    try {
      const expected: [string, number][] = [
        [a!, 3],
        [b!, 2],
        [c!, 4],
        [member, 4],
      ];
      await waitFor(() => expected.every(([stream, n]) => versionsOf(stream).length >= n), {
        what: 'every publishable event collected',
      });
    } finally {
      await collector.stop();
    }
    // Each stream in order, without the dead-lettered versions (duplicates may repeat a run).
    expect(versionsOf(a!)).toEqual([1, 3, 4]);
    expect(versionsOf(b!)).toEqual([1, 3]);
    expect(versionsOf(c!)).toEqual([1, 2, 3, 4]);
    expect(versionsOf(member)).toEqual([1, 2, 3, 4]);

    const letters = await db
      .collection<OutboxDeadLetter>(OUTBOX_DEAD_LETTERS_COLLECTION)
      .find({})
      .sort({ stream: 1 })
      .toArray();
    expect(letters).toMatchObject([
      { stream: a, stream_version: 2, commit_id: `${a}@1`, code: 'event.too_large' },
      {
        stream: b,
        stream_version: 2,
        commit_id: `${b}@2`,
        code: 'kafka.message_too_large',
        event_type: 'ProfileUpserted',
      },
    ]);
    expect(letters[0]!.bytes).toBeGreaterThan(1_500_000);
    expect(await relay.deadLetterCount()).toBe(2);
    // Nothing is lost: the skipped events are still in the event store.
    const stored = await store.readStream(a!);
    expect(stored.version).toBe(4);
    expect(stored.events[1]!.id).toBe(letters[0]!._id);
    expect((stored.events[1]!.data as { attributes: { note: string } }).attributes.note).toBe(huge);
  });
});
