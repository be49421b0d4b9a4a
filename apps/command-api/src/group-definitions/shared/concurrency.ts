import { Injectable } from '@nestjs/common';
import { ConcurrencyError, EventStore } from '@profile-groups/event-store';
import { Logger } from '@profile-groups/observability';

import { RequestValidationError, VersionConflictError } from '../../http/errors/api-errors';

/** Retries after the first attempt when a command without If-Match meets a conflict. */
export const CONFLICT_RETRIES = 8;

/**
 * Runs a load-decide-append attempt. Without an expected version a conflict is
 * retried (the attempt re-reads and re-decides); with one, or when retries run out,
 * it becomes a 409 that names the stream's current version.
 */
@Injectable()
export class ConcurrencyPolicy {
  constructor(
    private readonly eventStore: EventStore,
    private readonly logger: Logger,
  ) {}

  async run<T>(expectedVersion: number | undefined, attempt: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        if (expectedVersion !== undefined || retry >= CONFLICT_RETRIES) {
          const current = await this.eventStore.readStream(error.stream);
          throw new VersionConflictError(current.version);
        }
        this.logger.debug('command.conflict_retried', { stream: error.stream, retry: retry + 1 });
        // A random pause spreads writers that collided, so each round lets one through.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (retry + 1)));
      }
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
