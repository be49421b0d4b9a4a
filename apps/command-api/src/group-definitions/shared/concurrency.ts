import { Injectable } from '@nestjs/common';
import {
  ConcurrencyError,
  DEFAULT_CONFLICT_RETRY,
  EventStore,
  retryOnConflict,
  StreamTurns,
} from '@profile-groups/event-store';
import { Logger } from '@profile-groups/observability';

import { RequestValidationError, VersionConflictError } from '../../http/errors/api-errors';

/**
 * The one place commands meet concurrent writers. An attempt loads, decides and
 * appends with the version it read, and throws ConcurrencyError when another writer
 * got there first. Without an expected version (no If-Match) the attempt is re-run,
 * re-reading and re-deciding, with jittered pauses (retryOnConflict); this process's
 * retries on one stream take turns, so a burst of local writers lands in order. With
 * an expected version, or once the attempts run out, the conflict becomes a 409 that
 * names the stream's current version.
 */
@Injectable()
export class ConcurrencyPolicy {
  private readonly turns = new StreamTurns();

  constructor(
    private readonly eventStore: EventStore,
    private readonly logger: Logger,
  ) {}

  async run<T>(expectedVersion: number | undefined, attempt: () => Promise<T>): Promise<T> {
    try {
      if (expectedVersion !== undefined) return await attempt();

      return await retryOnConflict(attempt, DEFAULT_CONFLICT_RETRY, {
        turns: this.turns,
        onConflict: (conflict, made, delayMs) =>
          this.logger.debug('command.conflict_retried', {
            stream: conflict.stream,
            attempt: made,
            delay_ms: delayMs,
          }),
      });
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      const current = await this.eventStore.readStream(error.stream);
      throw new VersionConflictError(current.version);
    }
  }
}

/** Throws the 409 of a conditional write whose stream has moved on. */
export function checkExpectedVersion(expected: number | undefined, actual: number): void {
  if (expected !== undefined && expected !== actual) throw new VersionConflictError(actual);
}

/** `If-Match: 3`, `"3"` or `W/"3"`; undefined when the header is absent. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match?.[1]) {
    throw new RequestValidationError({
      'If-Match': ['The If-Match header must be a version number.'],
    });
  }

  return Number(match[1]);
}
