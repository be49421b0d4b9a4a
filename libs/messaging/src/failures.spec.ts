import { fromKafkaRecord, MalformedRecordError } from '@profile-groups/contracts';
import { DomainError } from '@profile-groups/domain';
import { EventTooLargeError } from '@profile-groups/event-store';
import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { MongoNetworkError, MongoNetworkTimeoutError } from 'mongodb';

import { backoffDelay, classifyFailure, PermanentFailure, sizeRefusal } from './failures';

function malformedRecord(): MalformedRecordError {
  try {
    fromKafkaRecord({ ce_specversion: '1.0' }, null);
  } catch (error) {
    if (error instanceof MalformedRecordError) return error;
    throw error;
  }
  throw new Error('expected the record to be refused');
}

describe('classifyFailure', () => {
  it('dead-letters a PermanentFailure at once with its own code', () => {
    const failure = new PermanentFailure(
      'event.schema_violation',
      "data must have required property 'profile_id'",
    );

    expect(classifyFailure(failure)).toEqual({
      retriable: false,
      code: 'event.schema_violation',
      reason: "data must have required property 'profile_id'",
    });
  });

  it('dead-letters a MalformedRecordError at once as malformed_record', () => {
    expect(classifyFailure(malformedRecord())).toEqual({
      retriable: false,
      code: 'malformed_record',
      reason: 'record has no value',
    });
  });

  it('dead-letters at once a handler that would record an oversized event', () => {
    const error = new EventTooLargeError('group-evaluation-3', 'SnapshotTaken', 900_000, 524_288);

    expect(classifyFailure(error)).toEqual({
      retriable: false,
      code: 'event_store.event_too_large',
      reason: error.message,
    });
  });

  it.each([
    ['not_found', 'Group definition not found.'],
    ['group_archived', 'An archived group accepts no new members.'],
    ['not_a_member', 'Profile p-1 is not a member of group 3.'],
  ] as const)('dead-letters a DomainError %s at once under domain.%s', (code, message) => {
    expect(classifyFailure(new DomainError(code, message))).toEqual({
      retriable: false,
      code: `domain.${code}`,
      reason: message,
    });
  });

  it.each([
    ['MongoNetworkError', new MongoNetworkError('connection 4 to 127.0.0.1:27017 closed')],
    ['MongoNetworkTimeoutError', new MongoNetworkTimeoutError('connection timed out')],
  ])('retries a %s as mongodb.unavailable', (_name, error) => {
    expect(classifyFailure(error)).toEqual({
      retriable: true,
      code: 'mongodb.unavailable',
      reason: error.message,
    });
  });

  it('retries any other Error as handler.failed', () => {
    expect(
      classifyFailure(new TypeError("Cannot read properties of undefined (reading 'id')")),
    ).toEqual({
      retriable: true,
      code: 'handler.failed',
      reason: "Cannot read properties of undefined (reading 'id')",
    });
  });

  it('retries a thrown non-Error as handler.failed with its text', () => {
    expect(classifyFailure('socket hang up')).toEqual({
      retriable: true,
      code: 'handler.failed',
      reason: 'socket hang up',
    });
  });
});

describe('backoffDelay', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  /** The capped exponential: base doubled per attempt after the first. */
  const ceiling = (attempt: number, base: number, cap = 30_000) =>
    Math.min(cap, base * 2 ** Math.max(0, attempt - 1));

  it.each([
    [1, 200, 100, 200],
    [2, 200, 200, 400],
    [4, 200, 800, 1_600],
    [8, 200, 12_800, 25_600],
    [9, 200, 15_000, 30_000],
    [40, 200, 15_000, 30_000],
  ])('keeps attempt %s with base %s between %s and %s ms', (attempt, base, low, high) => {
    const random = jest.spyOn(Math, 'random');

    random.mockReturnValue(0);
    expect(backoffDelay(attempt, base)).toBe(low);
    random.mockReturnValue(0.999_999_999);
    expect(backoffDelay(attempt, base)).toBe(high);
  });

  it('stays between half and all of the capped exponential for random jitter', () => {
    const outside: string[] = [];
    for (let attempt = 0; attempt <= 20; attempt++) {
      for (const base of [1, 3, 50, 200, 1_000]) {
        for (let sample = 0; sample < 50; sample++) {
          const delay = backoffDelay(attempt, base);
          const high = ceiling(attempt, base);
          if (!Number.isInteger(delay) || delay < high / 2 || delay > high) {
            outside.push(`attempt ${attempt} base ${base}: ${delay}`);
          }
        }
      }
    }

    expect(outside).toEqual([]);
  });

  it('honours a custom cap', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.999_999_999);

    expect(backoffDelay(10, 100, 5_000)).toBe(5_000);
  });

  it('treats attempts below one like the first attempt', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.999_999_999);

    expect(backoffDelay(0, 250)).toBe(250);
    expect(backoffDelay(-3, 250)).toBe(250);
  });
});

describe('sizeRefusal', () => {
  function protocolError(type: string, code: number): KafkaJSProtocolError {
    return new KafkaJSProtocolError(
      Object.assign(new Error(`broker says ${type}`), { type, code, retriable: false }),
    );
  }

  /** How kafkajs's retrier hands a non-retriable broker answer to the caller. */
  function bailed(cause: Error): Error {
    const Wrapper = KafkaJSNonRetriableError as unknown as new (
      e: Error,
      options: { cause: Error },
    ) => Error;

    return new Wrapper(cause, { cause });
  }

  it('finds a size refusal of the broker under the errors kafkajs wraps it in', () => {
    expect(sizeRefusal(bailed(protocolError('MESSAGE_TOO_LARGE', 10)))).toBe('MESSAGE_TOO_LARGE');
    expect(sizeRefusal(protocolError('RECORD_LIST_TOO_LARGE', 18))).toBe('RECORD_LIST_TOO_LARGE');
  });

  it('is null for any other failure', () => {
    expect(sizeRefusal(bailed(protocolError('TOPIC_AUTHORIZATION_FAILED', 29)))).toBeNull();
    expect(sizeRefusal(new Error('Connection closed'))).toBeNull();
    expect(sizeRefusal('MESSAGE_TOO_LARGE')).toBeNull();
    expect(sizeRefusal(null)).toBeNull();
  });
});
