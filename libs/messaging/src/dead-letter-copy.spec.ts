import { createHash } from 'node:crypto';

import { type KafkaMessage } from 'kafkajs';

import {
  cutDownCopy,
  DEAD_LETTER_MAX_KEY_BYTES,
  wholeCopy,
  withBoundedKey,
} from './dead-letter-copy';

const dlqHeaders = { dlq_error_code: 'profile.invalid_input', dlq_source_offset: '42' };

function message(value: string | null, headers: Record<string, string> = {}): KafkaMessage {
  return {
    key: Buffer.from('profile-p-1'),
    value: value === null ? null : Buffer.from(value),
    headers,
    timestamp: '0',
    attributes: 0,
    offset: '42',
  };
}

describe('dead-letter copies', () => {
  it('keeps the whole record, its headers under the dlq_* ones', () => {
    const copy = wholeCopy(message('{"a":1}', { ce_id: 'e-1' }), dlqHeaders);

    expect(copy).toMatchObject({ whole: true, headers: { ce_id: 'e-1', ...dlqHeaders } });
    expect(copy.value?.toString()).toBe('{"a":1}');
  });

  it('cuts a copy to the limit, keeping key, headers and as much of the value as fits', () => {
    const value = '漢'.repeat(10_000);
    const original = message(value, { ce_id: 'e-1' });
    for (const maxBytes of [2_000, 5_000, 29_000]) {
      const copy = cutDownCopy(original, dlqHeaders, maxBytes, 'over_limit');

      expect(copy.bytes).toBeLessThanOrEqual(maxBytes);
      expect(copy.bytes).toBeGreaterThan(maxBytes - 50);
      expect(copy.key?.toString()).toBe('profile-p-1');
      expect(copy.headers).toMatchObject({
        ...dlqHeaders,
        ce_id: 'e-1',
        dlq_cut: 'over_limit',
        dlq_cut_limit_bytes: String(maxBytes),
        dlq_original_value_bytes: '30000',
        dlq_original_value_sha256: createHash('sha256').update(value).digest('hex'),
        dlq_value_bytes_kept: String(copy.value?.length),
      });
      expect(Number(copy.headers.dlq_original_bytes)).toBe(wholeCopy(original, {}).bytes);
      expect(Buffer.from(value).subarray(0, copy.value!.length).equals(copy.value!)).toBe(true);
    }
  });

  it('drops the original headers, then the key, when they do not fit', () => {
    const original = message('v'.repeat(1000), { ce_subject: 's'.repeat(3000) });

    const withoutHeaders = cutDownCopy(original, dlqHeaders, 1_000, 'broker_refused');
    expect(withoutHeaders.headers.ce_subject).toBeUndefined();
    expect(withoutHeaders.key?.toString()).toBe('profile-p-1');
    expect(withoutHeaders.bytes).toBeLessThanOrEqual(1_000);

    const bare = cutDownCopy(original, dlqHeaders, 100, 'broker_refused');
    expect(bare).toMatchObject({ bare: true, key: null, value: null });
    expect(bare.headers).toMatchObject({ dlq_cut: 'broker_refused', dlq_source_offset: '42' });
  });

  it('cuts a record without a value to its headers', () => {
    const copy = cutDownCopy(message(null), dlqHeaders, 1_000, 'over_limit');

    expect(copy.value).toBeNull();
    expect(copy.headers.dlq_original_value_bytes).toBe('0');
  });

  it('replaces a key too long to hash quickly by its digest, saying so in headers', () => {
    const long = Buffer.alloc(DEAD_LETTER_MAX_KEY_BYTES + 1, 'k');
    const bounded = withBoundedKey({ ...message('{}'), key: long });
    const short = withBoundedKey(message('{}'));

    const digest = createHash('sha256').update(long).digest('hex');
    expect(bounded.message.key?.toString()).toBe(`sha256:${digest}`);
    expect(bounded.headers).toEqual({
      dlq_original_key_bytes: String(DEAD_LETTER_MAX_KEY_BYTES + 1),
      dlq_original_key_sha256: digest,
    });
    expect(bounded.message.value?.toString()).toBe('{}');
    expect(short.message.key?.toString()).toBe('profile-p-1');
    expect(short.headers).toEqual({});
  });
});
