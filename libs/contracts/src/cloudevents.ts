import { type EventEnvelope } from './envelope';
import { schemaId } from './catalogue';

/**
 * CloudEvents 1.0 Kafka protocol binding, binary content mode: attributes travel
 * as `ce_`-prefixed headers, the value is the event's JSON `data`. Extension
 * attribute names follow the spec (lower-case letters and digits only).
 */
export const CE = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  time: 'ce_time',
  subject: 'ce_subject',
  dataschema: 'ce_dataschema',
  contentType: 'content-type',
  schemaversion: 'ce_schemaversion',
  stream: 'ce_stream',
  streamversion: 'ce_streamversion',
  correlationid: 'ce_correlationid',
  causationid: 'ce_causationid',
  actor: 'ce_actor',
  partitionkey: 'ce_partitionkey',
} as const;

export interface KafkaRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

export function toKafkaRecord(event: EventEnvelope, source: string): KafkaRecord {
  const headers: Record<string, string> = {
    [CE.specversion]: '1.0',
    [CE.id]: event.id,
    [CE.source]: source,
    [CE.type]: event.type,
    [CE.time]: event.time,
    [CE.subject]: event.stream,
    [CE.dataschema]: schemaId(event.type, event.schema_version),
    [CE.contentType]: 'application/json',
    [CE.schemaversion]: String(event.schema_version),
    [CE.stream]: event.stream,
    [CE.streamversion]: String(event.stream_version),
    [CE.correlationid]: event.correlation_id,
    [CE.partitionkey]: event.stream,
  };
  if (event.causation_id !== null) headers[CE.causationid] = event.causation_id;
  if (event.actor !== null) headers[CE.actor] = event.actor;

  return { key: event.stream, value: JSON.stringify(event.data), headers };
}

export class MalformedRecordError extends Error {
  readonly code = 'malformed_record';
}

/** Rebuilds the envelope; throws MalformedRecordError when a required attribute is missing. */
export function fromKafkaRecord(
  headers: Record<string, string | undefined>,
  value: string | null,
): EventEnvelope {
  const required = (name: string): string => {
    const found = headers[name];
    if (found === undefined || found === '') {
      throw new MalformedRecordError(`missing header ${name}`);
    }

    return found;
  };
  const integer = (name: string): number => {
    const raw = required(name);
    const parsed = Number(raw);
    if (!/^[1-9]\d*$/.test(raw) || !Number.isSafeInteger(parsed)) {
      throw new MalformedRecordError(`header ${name} is not a positive integer`);
    }

    return parsed;
  };

  if (required(CE.specversion) !== '1.0') {
    throw new MalformedRecordError(`unsupported ${CE.specversion}`);
  }
  if (value === null) {
    throw new MalformedRecordError('record has no value');
  }
  let data: unknown;
  try {
    data = JSON.parse(value);
  } catch {
    throw new MalformedRecordError('value is not JSON');
  }

  return {
    id: required(CE.id),
    type: required(CE.type),
    schema_version: integer(CE.schemaversion),
    stream: required(CE.stream),
    stream_version: integer(CE.streamversion),
    time: required(CE.time),
    correlation_id: required(CE.correlationid),
    causation_id: headers[CE.causationid] ?? null,
    actor: headers[CE.actor] ?? null,
    data,
  };
}
