import {
  EVENT_CATALOGUE,
  type EnvelopeOf,
  profileInputProblem,
  profileStream,
  type ProfileUpserted,
  toKafkaRecord,
  topicName,
} from '@profile-groups/contracts';
import { ProfileStore } from '@profile-groups/evaluation';
import { EventConsumer, PermanentFailure } from '@profile-groups/messaging';
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

import { generateProfiles } from './profile-generator';
import { publishProfiles } from './profile-loader';

const COUNT = 1500;

/**
 * The worker's way in for profiles, rebuilt from the same parts: the project's consumer
 * (decodes the CloudEvents record, checks the published schema, dead-letters what fails)
 * and the worker's profile store behind the profile input checks the worker makes.
 */
describe('publishProfiles on a real broker', () => {
  let kafka: Kafka;
  let prefix: string;
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    kafka = testKafka();
    prefix = await createTestTopics(kafka);
    ({ client, db } = await connectTestDb('demo_loader'));
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('publishes profiles the worker accepts, every one, with its attributes intact', async () => {
    const progress: number[] = [];
    const result = await publishProfiles(
      kafka,
      prefix,
      generateProfiles({ seed: 11, count: COUNT }),
      { batchSize: 600, onProgress: (published) => progress.push(published) },
    );
    expect(result.published).toBe(COUNT);
    expect(progress).toEqual([600, 1200, 1500]);
    // A control: one record the consumer must refuse, so a check that let everything
    // through could not pass this test.
    await publishRaw(kafka, topicName(prefix, 'profiles'), invalidUpsert());

    const store = new ProfileStore(db);
    await store.open();
    const deadLetters = await collectTopics(kafka, [topicName(prefix, 'deadLetter')]);
    const correlations = new Set<string>();
    const consumer = new EventConsumer(
      kafka,
      {
        groupId: uniqueName('demo-loader'),
        topics: [topicName(prefix, 'profiles')],
        deadLetterTopic: topicName(prefix, 'deadLetter'),
        maxAttempts: 3,
        retryBaseMs: 10,
        dispatch: (type) =>
          type === 'ProfileUpserted'
            ? async (event, context) => {
                const {
                  profile_id: id,
                  attributes,
                  upserted_at: at,
                } = (event as EnvelopeOf<ProfileUpserted>).data;
                const problem = profileInputProblem(id, attributes);
                if (problem !== null) throw new PermanentFailure('profile.invalid_input', problem);
                await store.apply(
                  id,
                  { kind: 'upsert', attributes, at },
                  { partition: context.partition, offset: BigInt(context.offset) },
                );
                correlations.add(event.correlation_id);
              }
            : undefined,
      },
      silentLogger,
    );
    await consumer.start();
    try {
      await waitFor(async () => (await store.count()) === COUNT && deadLetters.messages.length, {
        timeoutMs: 90_000,
        what: 'every profile stored and the control dead-lettered',
      });
    } finally {
      await consumer.stop();
      await deadLetters.stop();
    }

    expect(deadLetters.messages).toHaveLength(1);
    expect(deadLetters.messages[0]!.headers).toMatchObject({
      dlq_error_code: 'event.schema_violation',
      ce_id: 'control-1',
    });
    expect([...correlations]).toEqual([result.correlationId]);
    const stored = new Map<string, unknown>();
    for await (const batch of store.scan()) {
      for (const record of batch) stored.set(record.profile_id, record.attributes);
    }
    const differing = [...generateProfiles({ seed: 11, count: COUNT })].filter(
      (profile) =>
        JSON.stringify(stored.get(profile.profile_id)) !== JSON.stringify(profile.attributes),
    );
    expect(stored.size).toBe(COUNT);
    expect(differing).toEqual([]);
  });
});

function invalidUpsert() {
  return toKafkaRecord(
    {
      id: 'control-1',
      type: 'ProfileUpserted',
      schema_version: EVENT_CATALOGUE.ProfileUpserted.schemaVersion,
      stream: profileStream('control'),
      stream_version: 1,
      time: '2026-12-01T00:00:00.000Z',
      correlation_id: 'control',
      causation_id: null,
      actor: null,
      // upserted_at is required by the schema
      data: { profile_id: 'control', attributes: {} },
    },
    '/test',
  );
}

async function publishRaw(
  kafka: Kafka,
  topic: string,
  record: ReturnType<typeof toKafkaRecord>,
): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [record] });
  await producer.disconnect();
}
