import { toKafkaRecord } from './cloudevents';
import { type EventEnvelope } from './envelope';
import { eventRecordBytes, recordBytes, SOURCE_HEADER_ALLOWANCE_BYTES } from './record-size';

function profileEvent(attributes: Record<string, string>): EventEnvelope {
  return {
    id: '0b7f4c9e-2d1a-4e5b-8c3f-9a6d5e4c3b2a',
    type: 'ProfileUpserted',
    schema_version: 1,
    stream: 'profile-p-1',
    stream_version: 1,
    time: '2026-03-01T10:00:00.000Z',
    correlation_id: 'corr-1',
    causation_id: null,
    actor: 'local-dev',
    data: { profile_id: 'p-1', attributes, upserted_at: '2026-03-01T10:00:00.000Z' },
  };
}

describe('recordBytes', () => {
  it('adds the varint lengths and the fixed fields to the key and value', () => {
    // 1 attribute byte + 15 delta bytes + (1 + 1) key + (1 + 1) value + 1 header count = 21,
    // then 1 byte for the record's own length.
    expect(recordBytes({ key: 'k', value: 'v', headers: {} })).toBe(22);
  });

  it('counts CJK characters as three UTF-8 bytes, not one UTF-16 unit', () => {
    const value = '漢'.repeat(1000);

    expect(value.length).toBe(1000);
    // 3000 value bytes with a 2-byte length, a 2-byte record length.
    expect(recordBytes({ key: 'k', value, headers: {} })).toBe(3023);
  });

  it('counts an emoji (a surrogate pair) as four bytes', () => {
    const emoji = recordBytes({ key: 'k', value: '😀'.repeat(100), headers: {} });
    const ascii = recordBytes({ key: 'k', value: 'a'.repeat(400), headers: {} });

    expect('😀'.length).toBe(2);
    expect(emoji).toBe(ascii);
  });

  it('counts raw bytes as they are and a null key or value as one byte', () => {
    const raw = Buffer.from([0xff, 0xfe, 0x00]);

    expect(recordBytes({ key: null, value: raw, headers: {} })).toBe(
      recordBytes({ key: 'k', value: 'abc', headers: {} }) - 1,
    );
    expect(recordBytes({ key: null, value: null, headers: {} })).toBe(20);
  });

  it('counts every header name and value', () => {
    const bare = recordBytes({ key: 'k', value: 'v', headers: {} });
    const withHeader = recordBytes({ key: 'k', value: 'v', headers: { ce_subject: 'Größe' } });

    // 1 + 10 name bytes, 1 + 7 value bytes ("ö" and "ß" are two bytes each).
    expect(withHeader - bare).toBe(19);
  });
});

describe('eventRecordBytes', () => {
  it('is the published record plus room for any source header', () => {
    const event = profileEvent({ name: '山田太郎'.repeat(50_000) });
    const published = recordBytes(toKafkaRecord(event, '/profile-groups/projection-service'));

    expect(eventRecordBytes(event)).toBeGreaterThan(published);
    expect(eventRecordBytes(event) - published).toBeLessThan(SOURCE_HEADER_ALLOWANCE_BYTES);
    expect(eventRecordBytes(event)).toBeGreaterThan(600_000);
  });
});
