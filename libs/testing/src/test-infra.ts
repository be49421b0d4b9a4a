import { randomBytes } from 'node:crypto';

import { createKafka, ensureTopics } from '@profile-groups/messaging';
import { Logger } from '@profile-groups/observability';
import { TOPICS, topicName, type TopicKey } from '@profile-groups/contracts';
import { type Kafka, type KafkaMessage } from 'kafkajs';
import { type Db, MongoClient } from 'mongodb';

/** Addresses of the real servers started by the Jest global setup. */
export function testServers(): { kafkaBrokers: string[]; mongoUrl: string } {
  const kafka = process.env.TEST_KAFKA_BROKERS;
  const mongo = process.env.TEST_MONGODB_URL;
  if (!kafka || !mongo) {
    throw new Error(
      'TEST_KAFKA_BROKERS / TEST_MONGODB_URL are unset: run through the int-test target',
    );
  }

  return { kafkaBrokers: kafka.split(','), mongoUrl: mongo };
}

/** A name unique to this test run, safe for databases, topics and consumer groups. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export const silentLogger = new Logger('test', 'silent');

export async function connectTestDb(prefix = 'test'): Promise<{ client: MongoClient; db: Db }> {
  const client = await MongoClient.connect(testServers().mongoUrl);

  return { client, db: client.db(uniqueName(prefix).replace(/-/g, '_')) };
}

export function testKafka(): Kafka {
  return createKafka(
    { brokers: testServers().kafkaBrokers, clientId: uniqueName('test') },
    silentLogger,
  );
}

/** Creates every topic of the catalogue under a fresh prefix and returns the prefix. */
export async function createTestTopics(kafka: Kafka, partitions = 3): Promise<string> {
  const prefix = `${uniqueName('t')}.`;
  await ensureTopics(
    kafka,
    (Object.keys(TOPICS) as TopicKey[]).map((key) => topicName(prefix, key)),
    partitions,
  );

  return prefix;
}

/** Polls until `check` returns a value other than undefined/false, or fails after the timeout. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 20_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface CollectedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Record<string, string>;
}

/** A plain kafkajs consumer that records everything on the topics from the beginning. */
export async function collectTopics(
  kafka: Kafka,
  topics: string[],
): Promise<{ messages: CollectedMessage[]; stop: () => Promise<void> }> {
  const consumer = kafka.consumer({ groupId: uniqueName('collector'), maxWaitTimeInMs: 100 });
  const messages: CollectedMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ topic, partition, message }) => {
      messages.push(toCollected(topic, partition, message));

      return Promise.resolve();
    },
  });

  return { messages, stop: () => consumer.disconnect() };
}

function toCollected(topic: string, partition: number, message: KafkaMessage): CollectedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = String(value);
  }

  return {
    topic,
    partition,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
    headers,
  };
}

/** A TCP port that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  const net = await import('node:net');

  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
