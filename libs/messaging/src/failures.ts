import { MalformedRecordError } from '@profile-groups/contracts';
import { DomainError } from '@profile-groups/domain';
import { EventTooLargeError } from '@profile-groups/event-store';
import { MongoNetworkError, MongoServerSelectionError } from 'mongodb';

/** A failure that no retry can fix: the message goes to the dead-letter topic at once. */
export class PermanentFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentFailure';
  }
}

export interface FailureVerdict {
  readonly retriable: boolean;
  /** Stable machine code, carried in the `dlq_error_code` header. */
  readonly code: string;
  /** Developer detail for logs and the `dlq_reason` header (no payload data). */
  readonly reason: string;
}

/**
 * Decides retriability where the failure is known: broken input and domain refusals
 * are permanent; lost connections are transient; anything else is retried a bounded
 * number of times, since a handler bug and a hiccup look alike from here.
 */
export function classifyFailure(error: unknown): FailureVerdict {
  if (error instanceof PermanentFailure) {
    return { retriable: false, code: error.code, reason: error.message };
  }
  if (error instanceof MalformedRecordError) {
    return { retriable: false, code: error.code, reason: error.message };
  }
  if (error instanceof DomainError) {
    return { retriable: false, code: `domain.${error.code}`, reason: error.message };
  }
  if (error instanceof EventTooLargeError) {
    // The handler would record the same oversized event on every attempt.
    return { retriable: false, code: `event_store.${error.code}`, reason: error.message };
  }
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) {
    return { retriable: true, code: 'mongodb.unavailable', reason: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);

  return { retriable: true, code: 'handler.failed', reason: message };
}

/** Exponential backoff with jitter over the upper half, capped. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  capMs = 30_000,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));

  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Kafka error types a broker answers a produce request with when a record is too big. */
const SIZE_REFUSALS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/**
 * The Kafka error type when the broker refused a produce request for its size, else
 * null. kafkajs wraps the broker's answer (a KafkaJSProtocolError with a `type`) in
 * errors of its own, each keeping the one below as `cause`.
 */
export function sizeRefusal(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { type, cause } = current as { type?: unknown; cause?: unknown };
    if (typeof type === 'string' && SIZE_REFUSALS.has(type)) return type;
    current = cause;
  }

  return null;
}
