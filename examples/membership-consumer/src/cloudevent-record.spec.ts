import { EVENT_CATALOGUE, membershipStream, toKafkaRecord } from '@profile-groups/contracts';

import { decodeRecord } from './cloudevent-record';

const data = { group_definition_id: 7, profile_id: 'p-1' };

function serviceRecord() {
  return toKafkaRecord(
    {
      id: 'event-1',
      type: 'MemberAdded',
      schema_version: EVENT_CATALOGUE.MemberAdded.schemaVersion,
      stream: membershipStream(7, 'p-1'),
      stream_version: 3,
      time: '2026-12-01T10:00:00.000Z',
      correlation_id: 'c-1',
      causation_id: null,
      actor: null,
      data,
    },
    '/profile-groups',
  );
}

/** As kafkajs hands headers to a consumer: Buffers. */
function received(headers: Record<string, string>) {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));
}

describe('decodeRecord', () => {
  it('reads the record the service publishes', () => {
    const record = serviceRecord();
    expect(decodeRecord(received(record.headers), Buffer.from(record.value))).toEqual({
      id: 'event-1',
      type: 'MemberAdded',
      dataschema: 'urn:profile-groups:events:MemberAdded:v1',
      stream: 'group-member-7-p-1',
      streamVersion: 3,
      time: '2026-12-01T10:00:00.000Z',
      data,
    });
  });

  it.each([
    ['ce_specversion', '0.3'],
    ['ce_streamversion', '0'],
    ['ce_streamversion', 'x'],
    ['ce_id', ''],
    ['content-type', 'application/avro'],
  ])('refuses a record whose %s is %p', (header, value) => {
    const record = serviceRecord();
    const headers = received({ ...record.headers, [header]: value });
    expect(() => decodeRecord(headers, Buffer.from(record.value))).toThrow(
      expect.objectContaining({ code: 'record.malformed' }),
    );
  });

  it('refuses a record without a required header, without a value, or not JSON', () => {
    const record = serviceRecord();
    const { ce_dataschema: _dropped, ...rest } = record.headers;
    expect(() => decodeRecord(received(rest), Buffer.from(record.value))).toThrow(/ce_dataschema/);
    expect(() => decodeRecord(received(record.headers), null)).toThrow(/no value/);
    expect(() => decodeRecord(received(record.headers), Buffer.from('{'))).toThrow(/not JSON/);
    expect(() => decodeRecord(undefined, Buffer.from('{}'))).toThrow(/ce_specversion/);
  });
});
