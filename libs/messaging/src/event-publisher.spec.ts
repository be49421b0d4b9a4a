import {
  CE,
  type EventEnvelope,
  RECORD_BATCH_OVERHEAD_BYTES,
  recordBytes,
  toKafkaRecord,
} from '@profile-groups/contracts';
import {
  type Kafka,
  KafkaJSNonRetriableError,
  KafkaJSProtocolError,
  type Message,
  type ProducerBatch,
} from 'kafkajs';

import { KafkaEventPublisher, planChunks } from './event-publisher';

const MAX = 1_048_576;

function profileEvent(profileId: string, version: number, note: string): EventEnvelope {
  return {
    id: `${profileId}-${version}`,
    type: 'ProfileUpserted',
    schema_version: 1,
    stream: `profile-${profileId}`,
    stream_version: version,
    time: '2026-03-01T10:00:00.000Z',
    correlation_id: 'corr-1',
    causation_id: null,
    actor: 'test',
    data: { profile_id: profileId, attributes: { note }, upserted_at: '2026-03-01T10:00:00.000Z' },
  };
}

/** What the broker sees of a message at least: its key, value and headers in UTF-8. */
function minimumBytes(message: Message): number {
  const headers = Object.entries(message.headers ?? {});

  return (
    Buffer.byteLength(String(message.key)) +
    Buffer.byteLength(String(message.value)) +
    headers.reduce((sum, [name, value]) => sum + Buffer.byteLength(name + String(value)), 0)
  );
}

function toRecord(message: Message) {
  const headers = Object.fromEntries(
    Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
  );

  return { key: String(message.key), value: String(message.value), headers };
}

/** kafkajs's own answer to a record over the broker's limit, wrapped as its retrier does. */
function tooLarge(): Error {
  const protocol = new KafkaJSProtocolError(
    Object.assign(new Error('The request included a message larger than the max'), {
      type: 'MESSAGE_TOO_LARGE',
      code: 10,
      retriable: false,
    }),
  );
  const Wrapper = KafkaJSNonRetriableError as unknown as new (
    e: Error,
    options: { cause: Error },
  ) => Error;

  return new Wrapper(protocol, { cause: protocol });
}

/**
 * A broker whose limit per record may be lower than the publisher's. A failed request
 * leaves its producer out of sequence, as kafkajs's rollback does, so that producer's
 * next send fails.
 */
class FakeBroker {
  readonly requests: Message[][] = [];
  readonly accepted: Message[] = [];
  producers = 0;
  /** Fails the next request, leaving its producer out of sequence. */
  failNext: Error | null = null;
  private readonly outOfSequence = new Set<number>();

  constructor(private readonly maxRecordBytes = Infinity) {}

  kafka(): Kafka {
    return { producer: () => this.producer() } as unknown as Kafka;
  }

  private producer() {
    const id = ++this.producers;

    return {
      connect: () => Promise.resolve(),
      disconnect: () => Promise.resolve(),
      sendBatch: (batch: ProducerBatch) => this.receive(id, batch),
    };
  }

  private receive(producer: number, batch: ProducerBatch): Promise<unknown[]> {
    if (this.outOfSequence.has(producer)) {
      return Promise.reject(new Error('OUT_OF_ORDER_SEQUENCE_NUMBER'));
    }
    const messages = (batch.topicMessages ?? []).flatMap((t) => t.messages);
    this.requests.push(messages);
    const failure = this.failNext;
    if (failure) {
      this.failNext = null;
      this.outOfSequence.add(producer);

      return Promise.reject(failure);
    }
    if (messages.some((m) => minimumBytes(m) > this.maxRecordBytes)) {
      this.outOfSequence.add(producer);

      return Promise.reject(tooLarge());
    }
    this.accepted.push(...messages);

    return Promise.resolve([]);
  }

  acceptedIds(): string[] {
    return this.accepted.map((m) => String(m.headers?.[CE.id]));
  }
}

describe('planChunks', () => {
  const sized = (bytes: number, name: string) => ({ name, bytes });

  it('fills each chunk up to the byte limit, batch header included, in order', () => {
    const items = [sized(400, 'a'), sized(400, 'b'), sized(139, 'c'), sized(1, 'd')];

    const plan = planChunks(items, 1000);

    // 61 + 400 + 400 + 139 = 1000 fits exactly; d starts the next chunk.
    expect(RECORD_BATCH_OVERHEAD_BYTES).toBe(61);
    expect(plan.chunks.map((c) => c.map((i) => i.name))).toEqual([['a', 'b', 'c'], ['d']]);
    expect(plan.oversized).toEqual([]);
  });

  it('sets apart an item that cannot fit even alone and keeps the rest in order', () => {
    const items = [sized(10, 'a'), sized(939, 'fits'), sized(940, 'too big'), sized(10, 'b')];

    const plan = planChunks(items, 1000);

    expect(plan.chunks.map((c) => c.map((i) => i.name))).toEqual([['a'], ['fits'], ['b']]);
    expect(plan.oversized.map((i) => i.name)).toEqual(['too big']);
  });

  it('caps the number of messages per chunk', () => {
    const items = Array.from({ length: 5 }, (_, i) => sized(1, `m${i}`));

    expect(planChunks(items, 1000, 2).chunks.map((c) => c.length)).toEqual([2, 2, 1]);
  });
});

describe('recordBytes against kafkajs', () => {
  it('is never below what kafkajs writes for the record', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs exports no encoder
    const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (
      record: object,
    ) => { buffer: Buffer };
    for (const note of ['plain', '東京都'.repeat(5000), '👩‍👩‍👧'.repeat(3000), 'ü'.repeat(70_000)]) {
      const record = toKafkaRecord(profileEvent('p-1', 1, note), '/test');
      const written = encodeRecord({
        key: record.key,
        value: record.value,
        headers: record.headers,
        offsetDelta: 499,
        timestampDelta: 60_000,
      }).buffer.length;

      expect(recordBytes(record)).toBeGreaterThanOrEqual(written);
      expect(recordBytes(record) - written).toBeLessThan(16);
    }
  });
});

describe('KafkaEventPublisher', () => {
  it('sizes requests in UTF-8 bytes: two 700 KB CJK profiles go in two requests', async () => {
    const broker = new FakeBroker();
    // 233,334 UTF-16 units each, 700,002 bytes each: together 1.4 MB.
    const note = '漢字'.repeat(116_667);
    const events = [profileEvent('a', 1, note), profileEvent('b', 1, note)];

    const outcome = await new KafkaEventPublisher(broker.kafka(), 'p.', '/test').publish(events);

    // Counted in UTF-16 units, both would have fit one 512 Ki request.
    expect(note.length * 2).toBeLessThan(512 * 1024);
    expect(outcome.refused).toEqual([]);
    expect(broker.requests).toHaveLength(2);
    for (const request of broker.requests) {
      expect(request.reduce((sum, m) => sum + minimumBytes(m), 0)).toBeLessThanOrEqual(MAX);
    }
    expect(broker.acceptedIds()).toEqual(['a-1', 'b-1']);
  });

  it('packs small emoji events into requests as full as the configured limit allows', async () => {
    const broker = new FakeBroker();
    const events = Array.from({ length: 40 }, (_, i) =>
      profileEvent('e', i + 1, '🎉'.repeat(1000)),
    );

    const publisher = new KafkaEventPublisher(broker.kafka(), 'p.', '/test', {
      maxRequestBytes: 64 * 1024,
    });
    const outcome = await publisher.publish(events);

    expect(outcome.refused).toEqual([]);
    // Each event is a little over 4 KB (1,000 emoji are 4,000 bytes, 2,000 UTF-16 units):
    // each request is as full as the limit allows, and no fuller.
    const sizes = broker.requests.map((request) =>
      request.reduce((sum, m) => sum + recordBytes(toRecord(m)), RECORD_BATCH_OVERHEAD_BYTES),
    );
    expect(broker.requests.length).toBeGreaterThan(2);
    for (const [i, size] of sizes.entries()) {
      expect(size).toBeLessThanOrEqual(64 * 1024);
      const next = broker.requests[i + 1]?.[0];
      if (next) expect(size + recordBytes(toRecord(next))).toBeGreaterThan(64 * 1024);
    }
    expect(broker.acceptedIds()).toEqual(events.map((e) => e.id));
  });

  it('leaves out an event larger than a request and sends the ones behind it', async () => {
    const broker = new FakeBroker();
    const events = [
      profileEvent('a', 1, 'small'),
      profileEvent('a', 2, '東'.repeat(400_000)),
      profileEvent('a', 3, 'small'),
      profileEvent('b', 1, 'small'),
    ];

    const { refused } = await new KafkaEventPublisher(broker.kafka(), 'p.', '/test').publish(
      events,
    );

    expect(refused).toEqual([
      {
        event: events[1],
        code: 'event.too_large',
        reason: expect.stringContaining('exceeds the produce request limit of 1048576'),
        bytes: expect.any(Number),
      },
    ]);
    expect(refused[0]!.bytes).toBeGreaterThan(1_200_000);
    expect(broker.acceptedIds()).toEqual(['a-1', 'a-3', 'b-1']);
  });

  it('halves a request the broker refuses for size, down to the one record, on a new producer', async () => {
    const broker = new FakeBroker(50_000);
    const events = [
      profileEvent('a', 1, 'x'),
      profileEvent('a', 2, 'x'),
      profileEvent('b', 1, 'y'.repeat(60_000)),
      profileEvent('a', 3, 'x'),
      profileEvent('c', 1, 'z'),
    ];

    const { refused } = await new KafkaEventPublisher(broker.kafka(), 'p.', '/test').publish(
      events,
    );

    expect(refused.map((r) => [r.event.id, r.code])).toEqual([['b-1', 'kafka.message_too_large']]);
    expect(refused[0]!.reason).toContain('MESSAGE_TOO_LARGE');
    expect(broker.acceptedIds()).toEqual(['a-1', 'a-2', 'a-3', 'c-1']);
    // [a1 a2 b1 a3 c1] refused, [a1 a2 b1] refused, [a1 a2] sent, [b1] refused, [a3 c1] sent.
    expect(broker.requests.map((r) => r.length)).toEqual([5, 3, 2, 1, 2]);
    expect(broker.producers).toBe(4);
  });

  it('rejects on any other failure, and sends the retry on a new producer', async () => {
    const broker = new FakeBroker();
    broker.failNext = new Error('Connection closed');
    const publisher = new KafkaEventPublisher(broker.kafka(), 'p.', '/test');
    const events = [profileEvent('a', 1, 'x'), profileEvent('a', 2, 'x')];

    await expect(publisher.publish(events)).rejects.toThrow('Connection closed');
    const retried = await publisher.publish(events);

    expect(retried.refused).toEqual([]);
    expect(broker.acceptedIds()).toEqual(['a-1', 'a-2']);
    expect(broker.producers).toBe(2);
  });

  it('reports an event whose type has no topic instead of failing the pass', async () => {
    const broker = new FakeBroker();
    const unknown = { ...profileEvent('a', 1, 'x'), type: 'SomethingRetired' };

    const { refused } = await new KafkaEventPublisher(broker.kafka(), 'p.', '/test').publish([
      unknown,
      profileEvent('a', 2, 'x'),
    ]);

    expect(refused.map((r) => r.code)).toEqual(['event.unknown_type']);
    expect(broker.acceptedIds()).toEqual(['a-2']);
  });
});
