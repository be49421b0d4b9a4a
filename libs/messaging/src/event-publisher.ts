import {
  EVENT_CATALOGUE,
  type EventEnvelope,
  type EventType,
  isEventType,
  RECORD_BATCH_OVERHEAD_BYTES,
  recordBytes,
  toKafkaRecord,
  topicName,
} from '@profile-groups/contracts';
import {
  type EventPublisher,
  type PublishOutcome,
  type RefusedEvent,
} from '@profile-groups/event-store';
import { type Kafka, type Message, Partitioners, type Producer } from 'kafkajs';

import { sizeRefusal } from './failures';

const PUBLISH_CHUNK = 500;

/** Just under the broker's default `message.max.bytes` (1,048,588). */
export const DEFAULT_MAX_REQUEST_BYTES = 1_048_576;

export interface KafkaEventPublisherOptions {
  /**
   * Most bytes of records (one batch header included) in one produce request. The
   * broker bounds each partition's record batch; bounding the whole request is simpler
   * and never larger.
   */
  readonly maxRequestBytes?: number;
}

/** A message ready to send, with the size the broker will see. */
export interface OutgoingMessage {
  readonly event: EventEnvelope;
  readonly topic: string;
  readonly message: Message;
  readonly bytes: number;
}

export interface ChunkPlan<T> {
  /** In the order given; each chunk fits one produce request. */
  readonly chunks: T[][];
  /** Items that do not fit a produce request even alone. */
  readonly oversized: T[];
}

/**
 * Splits messages, keeping their order, into chunks of at most `maxCount` whose record
 * sizes and one batch header add up to at most `maxBytes`.
 */
export function planChunks<T extends { readonly bytes: number }>(
  items: readonly T[],
  maxBytes: number,
  maxCount = PUBLISH_CHUNK,
): ChunkPlan<T> {
  const chunks: T[][] = [];
  const oversized: T[] = [];
  let chunk: T[] = [];
  let bytes = RECORD_BATCH_OVERHEAD_BYTES;
  for (const item of items) {
    if (RECORD_BATCH_OVERHEAD_BYTES + item.bytes > maxBytes) {
      oversized.push(item);
      continue;
    }
    if (chunk.length >= maxCount || bytes + item.bytes > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = RECORD_BATCH_OVERHEAD_BYTES;
    }
    chunk.push(item);
    bytes += item.bytes;
  }
  if (chunk.length > 0) chunks.push(chunk);

  return { chunks, oversized };
}

/**
 * Publishes envelopes as CloudEvents (binary mode) with the stream as the key. The
 * producer is idempotent with one request in flight, so a retried send cannot
 * reorder a partition; the partitioner is pinned so the key -> partition mapping
 * does not move between kafkajs versions.
 *
 * An event the broker can never take (larger than a produce request, or refused by the
 * broker for its size) is left out and reported, so it cannot hold up the events
 * behind it; the caller dead-letters it.
 */
export class KafkaEventPublisher implements EventPublisher {
  private producer: Producer;
  private connected = false;
  /** A send failed: the producer's sequence numbers may no longer match the broker's. */
  private outOfSequence = false;
  private readonly maxRequestBytes: number;

  constructor(
    private readonly kafka: Kafka,
    private readonly topicPrefix: string,
    private readonly source: string,
    options: KafkaEventPublisherOptions = {},
  ) {
    this.maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    this.producer = this.createProducer();
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect();
  }

  async publish(events: readonly EventEnvelope[]): Promise<PublishOutcome> {
    if (this.outOfSequence) {
      await this.renewProducer();
      this.outOfSequence = false;
    }
    await this.connect();
    const refused: RefusedEvent[] = [];
    const outgoing: OutgoingMessage[] = [];
    for (const event of events) {
      const { type } = event;
      if (isEventType(type)) {
        outgoing.push(this.toOutgoing(event, type));
      } else {
        const reason = `event type ${event.type} has no topic`;
        refused.push({ event, code: 'event.unknown_type', reason, bytes: 0 });
      }
    }
    const { chunks, oversized } = planChunks(outgoing, this.maxRequestBytes);
    for (const { event, bytes } of oversized) {
      const reason = `record of ${bytes} bytes exceeds the produce request limit of ${this.maxRequestBytes}`;
      refused.push({ event, code: 'event.too_large', reason, bytes });
    }
    try {
      // Sequential chunks keep every stream's order.
      for (const chunk of chunks) {
        await this.sendOrSplit(chunk, refused);
      }
    } catch (error) {
      // The failed request may have been written in part (see renewProducer).
      this.outOfSequence = true;
      throw error;
    }

    return { refused };
  }

  private toOutgoing(event: EventEnvelope, type: EventType): OutgoingMessage {
    const topic = topicName(this.topicPrefix, EVENT_CATALOGUE[type].topic);
    const record = toKafkaRecord(event, this.source);
    const message: Message = { key: record.key, value: record.value, headers: record.headers };

    return { event, topic, message, bytes: recordBytes(record) };
  }

  /**
   * Sends a chunk; when the broker refuses it for its size (its limit is lower than
   * ours, e.g. a topic's max.message.bytes), sends each half on its own, down to the
   * one message it cannot take, which is reported as refused.
   */
  private async sendOrSplit(chunk: OutgoingMessage[], refused: RefusedEvent[]): Promise<void> {
    try {
      await this.send(chunk);
    } catch (error) {
      const type = sizeRefusal(error);
      if (type === null) throw error;
      await this.renewProducer();
      const [only] = chunk;
      if (chunk.length === 1 && only) {
        const reason = `the broker refused a record of ${only.bytes} bytes (${type})`;
        refused.push({
          event: only.event,
          code: 'kafka.message_too_large',
          reason,
          bytes: only.bytes,
        });

        return;
      }
      const middle = Math.ceil(chunk.length / 2);
      await this.sendOrSplit(chunk.slice(0, middle), refused);
      await this.sendOrSplit(chunk.slice(middle), refused);
    }
  }

  private async send(chunk: readonly OutgoingMessage[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, message } of chunk) {
      const messages = byTopic.get(topic) ?? [];
      messages.push(message);
      byTopic.set(topic, messages);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  /**
   * After a failed request kafkajs rolls back the sequence numbers of every partition
   * in it, including those the broker accepted, so the idempotent producer's next send
   * there would be refused as out of sequence, for good. A new producer (a new producer
   * id) starts afresh; what the broker had accepted is sent again, as duplicates with
   * the same event ids.
   */
  private async renewProducer(): Promise<void> {
    const previous = this.producer;
    this.producer = this.createProducer();
    this.connected = false;
    // The old connection is being dropped anyway; failing to close it changes nothing.
    await previous.disconnect().catch(() => undefined);
    await this.connect();
  }

  private createProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }
}
