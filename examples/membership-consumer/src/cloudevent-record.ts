import { type IHeaders } from 'kafkajs';

/**
 * A Kafka record in CloudEvents 1.0 binary content mode, as the service publishes it:
 * the attributes are `ce_`-prefixed headers, the value is the event's JSON data, the key
 * is the stream (for memberships, one (group, profile) pair).
 */
export interface CloudEventRecord {
  /** `ce_id`: the same on every redelivery of the event. */
  readonly id: string;
  /** `ce_type`: `MemberAdded`, `MemberRemoved`, ... */
  readonly type: string;
  /** `ce_dataschema`: the `$id` of the JSON Schema `data` follows. */
  readonly dataschema: string;
  /** `ce_stream`: the stream the event belongs to (also the key). */
  readonly stream: string;
  /** `ce_streamversion`: 1, 2, 3, ... within the stream. */
  readonly streamVersion: number;
  /** `ce_time`: when the event was recorded. */
  readonly time: string;
  readonly data: unknown;
}

export class RecordError extends Error {
  readonly code = 'record.malformed';
}

const REQUIRED = ['ce_id', 'ce_type', 'ce_dataschema', 'ce_stream', 'ce_time'] as const;

export function decodeRecord(
  headers: IHeaders | undefined,
  value: Buffer | null,
): CloudEventRecord {
  const text = (name: string): string | undefined => {
    const raw = headers?.[name];
    const first = Array.isArray(raw) ? raw[0] : raw;

    return first === undefined ? undefined : first.toString();
  };
  if (text('ce_specversion') !== '1.0') {
    throw new RecordError('not a CloudEvents 1.0 record (ce_specversion)');
  }
  const contentType = text('content-type');
  if (contentType !== undefined && !contentType.startsWith('application/json')) {
    throw new RecordError(`content-type ${contentType} is not JSON`);
  }
  for (const name of REQUIRED) {
    if (!text(name)) throw new RecordError(`header ${name} is missing`);
  }
  const version = text('ce_streamversion') ?? '';
  if (!/^[1-9]\d{0,15}$/.test(version)) {
    throw new RecordError('header ce_streamversion is not a positive integer');
  }
  if (value === null) throw new RecordError('the record has no value');
  let data: unknown;
  try {
    data = JSON.parse(value.toString('utf8'));
  } catch {
    throw new RecordError('the value is not JSON');
  }

  return {
    id: text('ce_id')!,
    type: text('ce_type')!,
    dataschema: text('ce_dataschema')!,
    stream: text('ce_stream')!,
    streamVersion: Number(version),
    time: text('ce_time')!,
    data,
  };
}
