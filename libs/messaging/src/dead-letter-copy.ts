import { createHash } from 'node:crypto';

import { RECORD_BATCH_OVERHEAD_BYTES, recordBytes } from '@profile-groups/contracts';
import { type KafkaMessage } from 'kafkajs';

/** What goes to the dead-letter topic for one failed message. */
export interface DeadLetterCopy {
  readonly key: Buffer | string | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Bytes of the record batch that carries it alone, as the broker measures it. */
  readonly bytes: number;
  /** False for a cut-down copy. */
  readonly whole: boolean;
  /** A cut-down copy holding nothing of the original but the `dlq_*` headers. */
  readonly bare: boolean;
}

/** Why a copy was cut down, in its `dlq_cut` header. */
export type CutReason = 'over_limit' | 'broker_refused';

/**
 * Room for what a value prefix adds besides its bytes: its length varint (up to 5
 * bytes, where a null value takes 1) and a wider varint of the record's own length.
 */
const VALUE_LENGTH_ALLOWANCE = 10;

/**
 * Longest key a dead-letter copy keeps. kafkajs hashes a record's key to choose its
 * partition, in time that grows far faster than the key (a 200 KB key takes seconds,
 * 1 MB minutes, long enough to lose the consumer's group); a longer key is replaced by
 * its digest.
 */
export const DEAD_LETTER_MAX_KEY_BYTES = 1024;

/**
 * The message as its copy carries it: a key over DEAD_LETTER_MAX_KEY_BYTES becomes
 * `sha256:<hex>`, with headers giving the original's length and digest.
 */
export function withBoundedKey(message: KafkaMessage): {
  readonly message: KafkaMessage;
  readonly headers: Readonly<Record<string, string>>;
} {
  const key = message.key;
  if (key === null || key.length <= DEAD_LETTER_MAX_KEY_BYTES) return { message, headers: {} };
  const digest = createHash('sha256').update(key).digest('hex');

  return {
    message: { ...message, key: Buffer.from(`sha256:${digest}`) },
    headers: { dlq_original_key_bytes: String(key.length), dlq_original_key_sha256: digest },
  };
}

/** The original record (key, value, headers) with the `dlq_*` headers added. */
export function wholeCopy(
  message: KafkaMessage,
  dlqHeaders: Readonly<Record<string, string>>,
): DeadLetterCopy {
  const headers = { ...originalHeaders(message), ...dlqHeaders };

  return sized({ key: message.key, value: message.value, headers, whole: true, bare: false });
}

/**
 * A copy that fits a record batch of `maxBytes`: the `dlq_*` headers, the cut's
 * reason, the original's size and SHA-256 digest, then what room is left for the
 * original key, the original headers (all or none) and as much of the value as fits.
 * When `maxBytes` leaves no room, the bare copy (the `dlq_*` headers alone) is
 * returned, larger than asked: nothing smaller says what was lost.
 */
export function cutDownCopy(
  message: KafkaMessage,
  dlqHeaders: Readonly<Record<string, string>>,
  maxBytes: number,
  reason: CutReason,
): DeadLetterCopy {
  const original = wholeCopy(message, {});
  const value = message.value ?? Buffer.alloc(0);
  const ownHeaders = {
    ...dlqHeaders,
    dlq_cut: reason,
    dlq_cut_limit_bytes: String(maxBytes),
    dlq_original_bytes: String(original.bytes),
    dlq_original_value_bytes: String(value.length),
    dlq_original_value_sha256: createHash('sha256').update(value).digest('hex'),
  };
  const bare = sized({ key: null, value: null, headers: ownHeaders, whole: false, bare: true });
  if (bare.bytes > maxBytes) return bare;

  let copy = bare;
  for (const headers of [ownHeaders, { ...originalHeaders(message), ...ownHeaders }]) {
    const next = sized({ key: message.key, value: null, headers, whole: false, bare: false });
    if (next.bytes <= maxBytes) copy = next;
  }
  if (value.length === 0) return copy;
  // The kept length is at most the whole one, so its header is no wider than this.
  const counted = { ...copy.headers, dlq_value_bytes_kept: String(value.length) };
  const room = maxBytes - sized({ ...copy, headers: counted }).bytes - VALUE_LENGTH_ALLOWANCE;
  if (room <= 0) return copy;
  const kept = value.subarray(0, Math.min(room, value.length));

  return sized({
    key: copy.key,
    value: kept,
    headers: { ...copy.headers, dlq_value_bytes_kept: String(kept.length) },
    whole: false,
    bare: false,
  });
}

function originalHeaders(message: KafkaMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = String(value);
  }

  return headers;
}

function sized(copy: Omit<DeadLetterCopy, 'bytes'>): DeadLetterCopy {
  return { ...copy, bytes: RECORD_BATCH_OVERHEAD_BYTES + recordBytes(copy) };
}
