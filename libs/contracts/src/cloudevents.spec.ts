import { schemaId } from './catalogue';
import { CE, fromKafkaRecord, MalformedRecordError, toKafkaRecord } from './cloudevents';
import { type EventEnvelope } from './envelope';

const SOURCE = '/profile-groups/command-api';

const memberAdded: EventEnvelope = {
  id: '5f0c2d7a-3b7e-4f0e-9a6c-6f1d2e3c4b5a',
  type: 'MemberAdded',
  schema_version: 1,
  stream: 'group-member-42-profile-7f3a',
  stream_version: 3,
  time: '2026-04-01T10:05:00.123Z',
  correlation_id: 'corr-8d1e',
  causation_id: 'request-77',
  actor: 'operator-5',
  data: {
    group_definition_id: 42,
    profile_id: 'profile-7f3a',
    membership_id: 'membership-3',
    added_at: '2026-04-01T10:05:00.123Z',
    expires_at: null,
    added_by_profile_id: null,
    source_type: null,
    source_id: null,
    meta: { note: 'ünïcödé survives' },
  },
};

const unprompted: EventEnvelope = { ...memberAdded, causation_id: null, actor: null };

describe('toKafkaRecord', () => {
  it('keys the record by stream and carries the data as JSON', () => {
    const record = toKafkaRecord(memberAdded, SOURCE);

    expect(record.key).toBe('group-member-42-profile-7f3a');
    expect(JSON.parse(record.value)).toEqual(memberAdded.data);
  });

  it('writes the CloudEvents binary-mode attributes as ce_ headers', () => {
    expect(toKafkaRecord(memberAdded, SOURCE).headers).toEqual({
      ce_specversion: '1.0',
      ce_id: memberAdded.id,
      ce_source: SOURCE,
      ce_type: 'MemberAdded',
      ce_time: '2026-04-01T10:05:00.123Z',
      ce_subject: 'group-member-42-profile-7f3a',
      ce_dataschema: schemaId('MemberAdded', 1),
      'content-type': 'application/json',
      ce_schemaversion: '1',
      ce_stream: 'group-member-42-profile-7f3a',
      ce_streamversion: '3',
      ce_correlationid: 'corr-8d1e',
      ce_causationid: 'request-77',
      ce_actor: 'operator-5',
      ce_partitionkey: 'group-member-42-profile-7f3a',
    });
  });

  it('omits causation and actor headers when the event has none', () => {
    const { headers } = toKafkaRecord(unprompted, SOURCE);

    expect(headers).not.toHaveProperty(CE.causationid);
    expect(headers).not.toHaveProperty(CE.actor);
  });

  it('names extension attributes with lower-case letters and digits only', () => {
    const names = Object.keys(toKafkaRecord(memberAdded, SOURCE).headers).filter((h) =>
      h.startsWith('ce_'),
    );

    for (const name of names) expect(name).toMatch(/^ce_[a-z0-9]+$/);
  });
});

describe('fromKafkaRecord', () => {
  function roundTrip(event: EventEnvelope): EventEnvelope {
    const record = toKafkaRecord(event, SOURCE);

    return fromKafkaRecord(record.headers, record.value);
  }

  it('rebuilds an envelope with causation and actor', () => {
    expect(roundTrip(memberAdded)).toEqual(memberAdded);
  });

  it('rebuilds an envelope without causation and actor as nulls', () => {
    const rebuilt = roundTrip(unprompted);

    expect(rebuilt).toEqual(unprompted);
    expect(rebuilt.causation_id).toBeNull();
    expect(rebuilt.actor).toBeNull();
  });

  const good = toKafkaRecord(memberAdded, SOURCE);

  function attempt(headers: Record<string, string | undefined>, value: string | null): unknown {
    try {
      fromKafkaRecord(headers, value);
    } catch (error) {
      return error;
    }
    throw new Error('expected the record to be refused');
  }

  it.each([
    CE.specversion,
    CE.id,
    CE.type,
    CE.time,
    CE.schemaversion,
    CE.stream,
    CE.streamversion,
    CE.correlationid,
  ])('throws MalformedRecordError when header %s is missing or empty', (name) => {
    for (const value of [undefined, '']) {
      const error = attempt({ ...good.headers, [name]: value }, good.value);

      expect(error).toBeInstanceOf(MalformedRecordError);
      expect((error as MalformedRecordError).code).toBe('malformed_record');
      expect((error as Error).message).toContain(name);
    }
  });

  it('throws MalformedRecordError for a CloudEvents version other than 1.0', () => {
    expect(attempt({ ...good.headers, ce_specversion: '0.3' }, good.value)).toBeInstanceOf(
      MalformedRecordError,
    );
  });

  it.each(['{"profile_id":', 'MemberAdded', ''])(
    'throws MalformedRecordError for the non-JSON value %p',
    (value) => {
      expect(attempt(good.headers, value)).toBeInstanceOf(MalformedRecordError);
    },
  );

  it('throws MalformedRecordError for a null value (a tombstone)', () => {
    const error = attempt(good.headers, null);

    expect(error).toBeInstanceOf(MalformedRecordError);
    expect((error as Error).message).toBe('record has no value');
  });

  it.each(['0', '-1', '2.5', 'three', '9007199254740993', 'NaN', 'Infinity'])(
    'throws MalformedRecordError for stream version %p',
    (version) => {
      const error = attempt({ ...good.headers, ce_streamversion: version }, good.value);

      expect(error).toBeInstanceOf(MalformedRecordError);
      expect((error as Error).message).toContain(CE.streamversion);
    },
  );

  it('throws MalformedRecordError for a schema version that is not a positive integer', () => {
    expect(attempt({ ...good.headers, ce_schemaversion: 'v1' }, good.value)).toBeInstanceOf(
      MalformedRecordError,
    );
  });

  it('ignores headers it does not know, such as dead-letter annotations', () => {
    const headers = { ...good.headers, dlq_reason: 'handler.failed', traceparent: '00-abc' };

    expect(fromKafkaRecord(headers, good.value)).toEqual(memberAdded);
  });
});
