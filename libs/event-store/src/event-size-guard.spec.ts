import { type EventEnvelope, eventRecordBytes } from '@profile-groups/contracts';

import { assertEventsFit, DEFAULT_MAX_EVENT_BYTES } from './event-size-guard';
import { EventTooLargeError } from './event-store.errors';

function upserted(profileId: string, note: string): EventEnvelope {
  return {
    id: `${profileId}-1`,
    type: 'ProfileUpserted',
    schema_version: 1,
    stream: `profile-${profileId}`,
    stream_version: 1,
    time: '2026-03-01T10:00:00.000Z',
    correlation_id: 'corr-1',
    causation_id: null,
    actor: null,
    data: { profile_id: profileId, attributes: { note }, upserted_at: '2026-03-01T10:00:00.000Z' },
  };
}

describe('assertEventsFit', () => {
  it('lets through events up to the limit, inclusive', () => {
    const event = upserted('p-1', 'x'.repeat(1000));

    expect(() => assertEventsFit([event], eventRecordBytes(event))).not.toThrow();
  });

  it('refuses the first event over the limit, counting UTF-8 bytes', () => {
    // 300,000 UTF-16 units, under the default limit by length; 600 KB in UTF-8.
    const emoji = upserted('p-2', '🙂'.repeat(150_000));
    let refusal: unknown;
    try {
      assertEventsFit([upserted('p-1', 'small'), emoji], DEFAULT_MAX_EVENT_BYTES);
    } catch (error) {
      refusal = error;
    }

    expect(refusal).toBeInstanceOf(EventTooLargeError);
    expect(refusal).toMatchObject({
      code: 'event_too_large',
      stream: 'profile-p-2',
      eventType: 'ProfileUpserted',
      bytes: eventRecordBytes(emoji),
      maxBytes: DEFAULT_MAX_EVENT_BYTES,
    });
    expect((refusal as EventTooLargeError).bytes).toBeGreaterThan(600_000);
  });
});
