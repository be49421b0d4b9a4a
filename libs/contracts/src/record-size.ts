import { type KafkaRecord, toKafkaRecord } from './cloudevents';
import { type EventEnvelope } from './envelope';

/**
 * Fixed part of a Kafka record batch (format v2): the broker compares the whole batch,
 * header included, with `message.max.bytes` (a topic's `max.message.bytes`).
 */
export const RECORD_BATCH_OVERHEAD_BYTES = 61;

/** Room left for the `ce_source` header, which only the publisher knows. */
export const SOURCE_HEADER_ALLOWANCE_BYTES = 256;

/** A varlong timestamp delta and a varint offset delta at their widest. */
const DELTA_BYTES = 10 + 5;

/** A record as sent or received: text, raw bytes, or null for an absent key or value. */
export interface SizedRecord {
  readonly key: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers: Readonly<Record<string, string | Buffer>>;
}

/**
 * Upper bound of a record's size on the wire, in bytes: strings count as UTF-8 (one
 * CJK character is 3 bytes, an emoji 4), lengths as the varints Kafka writes.
 */
export function recordBytes(record: KafkaRecord | SizedRecord): number {
  const headers = Object.entries(record.headers);
  const body =
    1 +
    DELTA_BYTES +
    lengthPrefixed(record.key) +
    lengthPrefixed(record.value) +
    varintBytes(headers.length) +
    headers.reduce((sum, [name, value]) => sum + lengthPrefixed(name) + lengthPrefixed(value), 0);

  return varintBytes(body) + body;
}

/**
 * The size an event has once published, as the event store measures it before
 * storing: its record without the source header, plus a fixed allowance for it.
 */
export function eventRecordBytes(event: EventEnvelope): number {
  return recordBytes(toKafkaRecord(event, '')) + SOURCE_HEADER_ALLOWANCE_BYTES;
}

function lengthPrefixed(text: string | Buffer | null): number {
  // A null key or value is written as the length -1, one byte.
  if (text === null) return 1;
  const bytes = Buffer.byteLength(text, 'utf8');

  return varintBytes(bytes) + bytes;
}

/** Bytes of a zigzag varint holding a non-negative length. */
function varintBytes(value: number): number {
  let zigzag = value * 2;
  let bytes = 1;
  while (zigzag >= 128) {
    zigzag = Math.floor(zigzag / 128);
    bytes++;
  }

  return bytes;
}
