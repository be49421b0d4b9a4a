/** Another writer appended to the stream since it was read. Safe to retry after a re-read. */
export class ConcurrencyError extends Error {
  readonly code = 'version_conflict';

  constructor(
    readonly stream: string,
    readonly expectedVersion: number,
  ) {
    super(`Stream ${stream} has moved past version ${expectedVersion}`);
    this.name = 'ConcurrencyError';
  }
}

/**
 * An event would be too large to publish, so it is not stored: a stored event the
 * broker refuses can only be dead-lettered by the relay. Nothing of the append was
 * written. Not retriable: the same command makes the same event.
 */
export class EventTooLargeError extends Error {
  readonly code = 'event_too_large';

  constructor(
    readonly stream: string,
    readonly eventType: string,
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`A ${eventType} event of ${bytes} bytes for ${stream} exceeds the limit of ${maxBytes}`);
    this.name = 'EventTooLargeError';
  }
}
