import { type EventEnvelope, eventRecordBytes } from '@profile-groups/contracts';

import { EventTooLargeError } from './event-store.errors';

/**
 * Default largest event, as its published Kafka record: half of the broker's default
 * `message.max.bytes` (1 MiB), so an event always fits a produce request on its own.
 */
export const DEFAULT_MAX_EVENT_BYTES = 512 * 1024;

/**
 * Refuses a whole append when any of its events would be larger than `maxBytes` once
 * published. Runs before anything is written, so a refused append stores nothing.
 */
export function assertEventsFit(events: Iterable<EventEnvelope>, maxBytes: number): void {
  for (const event of events) {
    const bytes = eventRecordBytes(event);
    if (bytes > maxBytes) {
      throw new EventTooLargeError(event.stream, event.type, bytes, maxBytes);
    }
  }
}
