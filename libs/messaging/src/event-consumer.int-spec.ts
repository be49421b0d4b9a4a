import { randomUUID } from 'node:crypto';

import {
  type EventEnvelope,
  membershipStream,
  toKafkaRecord,
  topicName,
} from '@profile-groups/contracts';
import { Logger } from '@profile-groups/observability';
import { createTestTopics, testKafka, uniqueName, waitFor } from '@profile-groups/testing';
import { type Kafka, type Producer } from 'kafkajs';

import { EventConsumer } from './event-consumer';

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
