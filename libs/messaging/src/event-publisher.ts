import {
  EVENT_CATALOGUE,
  type EventEnvelope,
  isEventType,
  toKafkaRecord,
  topicName,
} from '@profile-groups/contracts';
import { type EventPublisher } from '@profile-groups/event-store';
import { type Kafka, type Message, Partitioners, type Producer } from 'kafkajs';

const PUBLISH_CHUNK = 500;
const PUBLISH_CHUNK_BYTES = 512 * 1024;

/**
 * Publishes envelopes as CloudEvents (binary mode) with the stream as the key. The
 * producer is idempotent with one request in flight, so a retried send cannot
 * reorder a partition; the partitioner is pinned so the key -> partition mapping
 * does not move between kafkajs versions.
 */
export class KafkaEventPublisher implements EventPublisher {
  private readonly producer: Producer;
  private connected = false;

  constructor(
    kafka: Kafka,
    private readonly topicPrefix: string,
    private readonly source: string,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
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

  async publish(events: readonly EventEnvelope[]): Promise<void> {
    await this.connect();
    // Sequential chunks keep every stream's order and each request under the broker's
    // size limit (message.max.bytes, 1 MB by default, bounds a partition's record batch).
    let chunk: EventEnvelope[] = [];
    let bytes = 0;
    for (const event of events) {
      const size = JSON.stringify(event.data).length + 512;
      if (
        chunk.length > 0 &&
        (chunk.length >= PUBLISH_CHUNK || bytes + size > PUBLISH_CHUNK_BYTES)
      ) {
        await this.send(chunk);
        chunk = [];
        bytes = 0;
      }
      chunk.push(event);
      bytes += size;
    }
    if (chunk.length > 0) await this.send(chunk);
  }

  private async send(events: readonly EventEnvelope[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const event of events) {
      if (!isEventType(event.type)) {
        throw new Error(`Event type ${event.type} has no topic`);
      }
      const topic = topicName(this.topicPrefix, EVENT_CATALOGUE[event.type].topic);
      const record = toKafkaRecord(event, this.source);
      const messages = byTopic.get(topic) ?? [];
      messages.push({ key: record.key, value: record.value, headers: record.headers });
      byTopic.set(topic, messages);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }
}
