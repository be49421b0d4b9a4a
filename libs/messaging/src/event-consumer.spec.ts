import { randomUUID } from 'node:crypto';

import { membershipStream, toKafkaRecord } from '@profile-groups/contracts';
import { Logger } from '@profile-groups/observability';
import { waitFor } from '@profile-groups/testing';
import { type EachBatchPayload, type Kafka, type KafkaMessage } from 'kafkajs';

import { EventConsumer } from './event-consumer';

const EVENTS = { CRASH: 'crash', GROUP_JOIN: 'group_join', STOP: 'stop' };

/** Just enough of a kafkajs consumer for the test to play the broker's part. */
class FakeConsumer {
  readonly events = EVENTS;
  eachBatch: ((payload: EachBatchPayload) => Promise<void>) | null = null;
  private readonly listeners = new Map<string, (event: { payload: unknown }) => void>();

  on(name: string, listener: (event: { payload: unknown }) => void): void {
    this.listeners.set(name, listener);
  }

  emit(name: string, payload: unknown = {}): void {
    this.listeners.get(name)?.({ payload });
  }

  connect = () => Promise.resolve();
  subscribe = () => Promise.resolve();
  disconnect = () => Promise.resolve();
  run = (config: { eachBatch: (payload: EachBatchPayload) => Promise<void> }) => {
    this.eachBatch = config.eachBatch;

    return Promise.resolve();
  };
}

function fakeKafka(consumers: FakeConsumer[]): Kafka {
  const producer = { connect: () => Promise.resolve(), disconnect: () => Promise.resolve() };

  return {
    consumer: () => {
      const consumer = new FakeConsumer();
      consumers.push(consumer);

      return consumer;
    },
    producer: () => producer,
  } as unknown as Kafka;
}

function memberAddedMessage(offset: string): KafkaMessage {
  const record = toKafkaRecord(
    {
      id: randomUUID(),
      type: 'MemberAdded',
      schema_version: 1,
      stream: membershipStream(5, 'p-1'),
      stream_version: 1,
      time: '2026-01-01T00:00:00.000Z',
      correlation_id: 'corr',
      causation_id: null,
      actor: 'test',
      data: {
        group_definition_id: 5,
        profile_id: 'p-1',
        membership_id: 'm-1',
        added_at: '2026-01-01T00:00:00.000Z',
        expires_at: null,
        added_by_profile_id: null,
        source_type: null,
        source_id: null,
        meta: null,
      },
    },
    '/test',
  );

  return {
    key: Buffer.from(record.key),
    value: Buffer.from(record.value),
    headers: record.headers,
    timestamp: '0',
    attributes: 0,
    offset,
  };
}

function batchPayload(offset: string, commits: string[]): EachBatchPayload {
  return {
    batch: { topic: 'memberships', partition: 0, messages: [memberAddedMessage(offset)] },
    isRunning: () => true,
    isStale: () => false,
    heartbeat: () => Promise.resolve(),
    resolveOffset: () => undefined,
    commitOffsetsIfNecessary: (offsets: {
      topics: Array<{ partitions: Array<{ offset: string }> }>;
    }) => {
      commits.push(offsets.topics[0]!.partitions[0]!.offset);

      return Promise.resolve();
    },
  } as unknown as EachBatchPayload;
}

describe('EventConsumer restarts', () => {
  it('backs off further on each crash on the same batch, rejoins notwithstanding, until it commits past it', async () => {
    const consumers: FakeConsumer[] = [];
    const scheduled: Array<{ restart: number; delay_ms: number }> = [];
    const logger = new Logger('test', 'debug', (line) => {
      const entry = JSON.parse(line) as { msg: string; restart: number; delay_ms: number };
      if (entry.msg === 'consumer.restart_scheduled') scheduled.push(entry);
    });
    let failing = true;
    const commits: string[] = [];
    const consumer = new EventConsumer(
      fakeKafka(consumers),
      {
        groupId: 'g',
        topics: ['memberships'],
        deadLetterTopic: 'dead-letter',
        maxAttempts: 1,
        retryBaseMs: 1,
        restartBaseMs: 1,
        restartClock: { now: () => 0, random: () => 1 },
        dispatch: () => () => Promise.resolve(),
        afterBatch: () => (failing ? Promise.reject(new TypeError('broken')) : Promise.resolve()),
      },
      logger,
    );
    await consumer.start();

    /** The current consumer joins, fails the batch at offset 7 and crashes like kafkajs. */
    async function crashOnce(): Promise<void> {
      const current = consumers[consumers.length - 1]!;
      current.emit(EVENTS.GROUP_JOIN);
      const error = await current.eachBatch!(batchPayload('7', commits)).catch((e: Error) => e);
      current.emit(EVENTS.CRASH, { error, restart: false });
      const count = consumers.length;
      await waitFor(() => consumers.length > count, { what: 'a restarted consumer' });
    }

    try {
      for (let crash = 0; crash < 4; crash++) await crashOnce();
      expect(scheduled.map((entry) => [entry.restart, entry.delay_ms])).toEqual([
        [1, 1],
        [2, 2],
        [3, 4],
        [4, 8],
      ]);

      failing = false;
      const current = consumers[consumers.length - 1]!;
      current.emit(EVENTS.GROUP_JOIN);
      await current.eachBatch!(batchPayload('7', commits));
      expect(commits).toEqual(['8']);
      expect(consumer.health).toMatchObject({ joined: true, restarts: 0 });

      failing = true;
      await crashOnce();
      expect(scheduled.at(-1)).toMatchObject({ restart: 1, delay_ms: 1 });
    } finally {
      await consumer.stop();
    }
  });
});
