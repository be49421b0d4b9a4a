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

/** Reads of a conflicting stream for the version a 409 names: about 100 ms at most. */
const VERSION_READS = 5;

/**
 * The one place commands meet concurrent writers. An attempt loads, decides and
 * appends with the version it read, and throws ConcurrencyError when another writer
 * got there first. Without an expected version (no If-Match) the attempt is re-run,
 * re-reading and re-deciding, with jittered pauses (retryOnConflict); this process's
 * retries on one stream take turns, so a burst of local writers lands in order. A
 * caller that knows its stream before loading names it, and its first attempt takes
 * the turn too, so local writers of that stream never race each other at all. With
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

  async run<T>(
    expectedVersion: number | undefined,
    attempt: () => Promise<T>,
    stream?: string,
  ): Promise<T> {
    try {
      if (expectedVersion !== undefined) return await attempt();

      return await retryOnConflict(attempt, DEFAULT_CONFLICT_RETRY, {
        turns: this.turns,
        ...(stream === undefined ? {} : { stream }),
        onConflict: (conflict, made, delayMs) =>
          this.logger.debug('command.conflict_retried', {
            stream: conflict.stream,
            attempt: made,
            delay_ms: delayMs,
          }),
      });
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      throw new VersionConflictError(await this.versionPast(error));
    }
  }

  /**
   * The version a 409 names. A conflict shows on the winner's outbox intent a moment
   * before its commit is stored, so the stream is re-read a few times until it is past
   * the version the loser expected (a winner that died leaves it where it was).
   */
  private async versionPast(conflict: ConcurrencyError): Promise<number> {
    for (let read = 1; ; read++) {
      const { version } = await this.eventStore.readStream(conflict.stream);
      if (version > conflict.expectedVersion || read >= VERSION_READS) return version;
      await new Promise((resolve) => setTimeout(resolve, 10 * read));
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
