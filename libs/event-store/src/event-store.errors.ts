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
