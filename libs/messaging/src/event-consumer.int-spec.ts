import { createHash, randomUUID } from 'node:crypto';

import {
  CE,
  type EventEnvelope,
  type KafkaRecord,
  membershipStream,
  RECORD_BATCH_OVERHEAD_BYTES,
  recordBytes,
  toKafkaRecord,
  topicName,
} from '@profile-groups/contracts';
import { Logger } from '@profile-groups/observability';
import {
  type CollectedMessage,
  collectTopics,
  createTestTopics,
  profileUpserted,
  testKafka,
  uniqueName,
  waitFor,
} from '@profile-groups/testing';
import { type Kafka, type Producer } from 'kafkajs';

import { EventConsumer } from './event-consumer';
import { PermanentFailure } from './failures';

function memberAdded(profileId: string): EventEnvelope {
  return {
    id: randomUUID(),
    type: 'MemberAdded',
    schema_version: 1,
    stream: membershipStream(5, profileId),
    stream_version: 1,
    time: '2026-01-01T00:00:00.000Z',
    correlation_id: 'corr-restart',
    causation_id: null,
    actor: 'test',
    data: {
      group_definition_id: 5,
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

describe('event consumer after a crash kafkajs does not restart from', () => {
  let kafka: Kafka;
  let producer: Producer;
  let topic: string;

  beforeAll(async () => {
    kafka = testKafka();
    topic = topicName(await createTestTopics(kafka, 1), 'memberships');
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
  });

  async function publish(profileIds: string[]): Promise<void> {
    await producer.send({
      topic,
      messages: profileIds.map((id) => toKafkaRecord(memberAdded(id), '/test')),
    });
  }

  it('restarts the consumer itself, redelivers the uncommitted batch and carries on', async () => {
    const logged: Array<Record<string, unknown>> = [];
    let whileDown: EventConsumer['health'] | undefined;
    const logger = new Logger('test', 'debug', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logged.push(entry);
      if (entry.msg === 'consumer.restart_scheduled') whileDown = consumer.health;
    });
    const handled: string[] = [];
    let crashes = 0;
    const consumer = new EventConsumer(
      kafka,
      {
        groupId: uniqueName('restart'),
        topics: [topic],
        deadLetterTopic: topicName('unused.', 'deadLetter'),
        maxAttempts: 2,
        retryBaseMs: 5,
        restartBaseMs: 20,
        dispatch: () => (event) => {
          handled.push((event.data as { profile_id: string }).profile_id);

          return Promise.resolve();
        },
        // kafkajs counts a TypeError as unrecoverable: its CRASH event says restart: false.
        afterBatch: () => {
          if (crashes > 0) return Promise.resolve();
          crashes++;

          return Promise.reject(new TypeError('the batch hook broke'));
        },
      },
      logger,
    );
    await publish(['p-1', 'p-2', 'p-3']);
    await consumer.start();
    try {
      await waitFor(() => handled.filter((id) => id === 'p-1').length >= 2, {
        what: 'the first batch redelivered after the restart',
        timeoutMs: 60_000,
      });
      await publish(['p-4']);
      await waitFor(() => handled.includes('p-4'), { what: 'p-4 consumed', timeoutMs: 60_000 });

      const crashed = logged.find((entry) => entry.msg === 'consumer.crashed');
      expect(crashed).toMatchObject({ restarted_by: 'consumer' });
      expect(whileDown).toMatchObject({
        joined: false,
        crashed: 'the batch hook broke',
        restarting: true,
        restarts: 1,
      });
      expect(new Set(handled)).toEqual(new Set(['p-1', 'p-2', 'p-3', 'p-4']));
      await waitFor(() => consumer.health.joined, { what: 'group joined again' });
      expect(consumer.health).toEqual({
        running: true,
        joined: true,
        crashed: null,
        restarting: false,
        restarts: 0,
      });
    } finally {
      await consumer.stop();
    }
  });
});

describe('event consumer dead-lettering a record near the size limit', () => {
  /** What the profiles and dead-letter topics take, far below the broker's default. */
  const TOPIC_MAX_BYTES = 20_000;
  let kafka: Kafka;
  let producer: Producer;
  let prefix: string;

  beforeAll(async () => {
    kafka = testKafka();
    prefix = `${uniqueName('t')}.`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: (['profiles', 'deadLetter'] as const).map((key) => ({
        topic: topicName(prefix, key),
        numPartitions: 1,
        configEntries: [{ name: 'max.message.bytes', value: String(TOPIC_MAX_BYTES) }],
      })),
    });
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
  });

  /** A profile record that the topic just takes: its dead-letter copy would not fit whole. */
  function nearLimitRecord(id: string, key?: string): KafkaRecord {
    const bare = toKafkaRecord(profileUpserted({ profile_id: id, note: '' }), '/test');
    // A long key takes its room from the value.
    const room =
      TOPIC_MAX_BYTES - RECORD_BATCH_OVERHEAD_BYTES - recordBytes(bare) - 100 - (key?.length ?? 0);
    const upserted = toKafkaRecord(
      profileUpserted({ profile_id: id, note: 'x'.repeat(room) }),
      '/test',
    );
    const record = key === undefined ? upserted : { ...upserted, key };
    expect(RECORD_BATCH_OVERHEAD_BYTES + recordBytes(record)).toBeLessThan(TOPIC_MAX_BYTES);

    return record;
  }

  async function deadLetterOnce(deadLetterMaxBytes: number | undefined, key?: string) {
    const groupId = uniqueName('near-limit');
    const big = nearLimitRecord(uniqueName('big'), key);
    const small = toKafkaRecord(profileUpserted({ profile_id: uniqueName('small') }), '/test');
    // One request each: the two would not fit one record batch.
    const sent = await producer.send({ topic: topicName(prefix, 'profiles'), messages: [big] });
    await producer.send({ topic: topicName(prefix, 'profiles'), messages: [small] });
    const offset = sent[0]!.baseOffset!;
    const ours = (m: CollectedMessage) =>
      m.headers.dlq_consumer_group === groupId && m.headers.dlq_source_offset === offset;
    const logged: Array<Record<string, unknown>> = [];
    const logger = new Logger('test', 'debug', (line) => {
      logged.push(JSON.parse(line) as Record<string, unknown>);
    });
    const handled: string[] = [];
    const deadLetters = await collectTopics(kafka, [topicName(prefix, 'deadLetter')]);
    const consumer = new EventConsumer(
      kafka,
      {
        groupId,
        topics: [topicName(prefix, 'profiles')],
        deadLetterTopic: topicName(prefix, 'deadLetter'),
        maxAttempts: 2,
        retryBaseMs: 5,
        restartBaseMs: 20,
        ...(deadLetterMaxBytes === undefined ? {} : { deadLetterMaxBytes }),
        dispatch: () => (event) => {
          // Every test's large record, since each group reads the topic from its start.
          if ((event.data as { profile_id: string }).profile_id.startsWith('big')) {
            return Promise.reject(new PermanentFailure('profile.invalid_input', 'too odd'));
          }
          handled.push(event.id);

          return Promise.resolve();
        },
      },
      logger,
    );
    await consumer.start();
    try {
      await waitFor(() => handled.includes(small.headers[CE.id]!), {
        what: 'the record after it handled',
      });
      await waitFor(() => deadLetters.messages.find(ours), { what: 'its dead letter' });
    } finally {
      await consumer.stop();
      await deadLetters.stop();
    }
    const letter = deadLetters.messages.find(ours)!;

    return { big, letter, logged, offset };
  }

  it('sends a cut-down copy at once when the configured limit says the whole would not fit', async () => {
    const { big, letter, logged, offset } = await deadLetterOnce(TOPIC_MAX_BYTES);

    expect(letter.headers).toMatchObject({
      dlq_error_code: 'profile.invalid_input',
      dlq_cut: 'over_limit',
      dlq_source_topic: topicName(prefix, 'profiles'),
      dlq_source_partition: '0',
      dlq_source_offset: offset,
      dlq_original_value_bytes: String(Buffer.byteLength(big.value)),
      dlq_original_value_sha256: createHash('sha256').update(big.value).digest('hex'),
      [CE.id]: big.headers[CE.id],
    });
    expect(Number(letter.headers.dlq_original_bytes)).toBeGreaterThan(19_000);
    expect(letter.key).toBe(big.key);
    expect(letter.value!.length).toBeGreaterThan(10_000);
    expect(big.value.startsWith(letter.value!)).toBe(true);
    expect(letter.headers.dlq_value_bytes_kept).toBe(String(letter.value!.length));
    expect(logged.filter((entry) => entry.msg === 'consumer.crashed')).toEqual([]);
    expect(logged.filter((entry) => entry.msg === 'consumer.dead_letter_refused')).toEqual([]);
  });

  it('dead-letters a record with a long key under its digest, at once', async () => {
    const key = 'k'.repeat(15_000);
    const { big, letter } = await deadLetterOnce(TOPIC_MAX_BYTES, key);

    expect(letter.key).toBe(`sha256:${createHash('sha256').update(key).digest('hex')}`);
    expect(letter.headers).toMatchObject({
      dlq_original_key_bytes: '15000',
      [CE.id]: big.headers[CE.id],
    });
  });

  it('cuts the copy down after the broker refuses it, when the limit configured is too high', async () => {
    const { big, letter, logged, offset } = await deadLetterOnce(undefined);

    expect(letter.headers).toMatchObject({
      dlq_cut: 'broker_refused',
      dlq_source_offset: offset,
      dlq_original_value_sha256: createHash('sha256').update(big.value).digest('hex'),
    });
    expect(big.value.startsWith(letter.value!)).toBe(true);
    expect(letter.value!.length).toBeGreaterThan(0);
    expect(logged.filter((entry) => entry.msg === 'consumer.crashed')).toEqual([]);
    expect(
      logged.filter((entry) => entry.msg === 'consumer.dead_letter_refused').length,
    ).toBeGreaterThan(0);
  });
});
