/**
 * MongoDB stopped answering while an append was storing its commits: they may or may
 * not be stored (and, if stored, the relay publishes them after its grace period).
 * Thrown only once the commits were sent; a failure before leaves nothing stored and
 * surfaces as the driver's own error. Retriable: a re-run decides on fresh state.
 */
export class AppendOutcomeUnknownError extends Error {
  readonly code = 'append_outcome_unknown';

  constructor(
    readonly streams: readonly string[],
    cause: unknown,
  ) {
    super(`The outcome of an append to ${streams.length} stream(s) is unknown`, { cause });
    this.name = 'AppendOutcomeUnknownError';
  }
}

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
