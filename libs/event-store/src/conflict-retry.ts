import { ConcurrencyError } from './event-store.errors';

/** How often, and how far apart, a decision that met a concurrent writer is re-run. */
export interface ConflictRetryPolicy {
  /** Attempts in all, the first one included. */
  readonly maxAttempts: number;
  /** Ceiling of the pause before the first retry; doubles per retry up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Ten attempts, pauses up to 5, 10, 20 ... 250 ms: about 1.2 s of waiting at most,
 * which rides out a burst of writers from other processes on one stream.
 */
export const DEFAULT_CONFLICT_RETRY: ConflictRetryPolicy = {
  maxAttempts: 10,
  baseDelayMs: 5,
  maxDelayMs: 250,
};

export interface ConflictRetryHooks {
  /** Called before each pause, with the attempt that conflicted (1 for the first). */
  readonly onConflict?: (conflict: ConcurrencyError, attempt: number, delayMs: number) => void;
  /** Serializes the retries of one process per stream; see StreamTurns. */
  readonly turns?: StreamTurns;
  /**
   * The stream the attempt appends to, when known before it runs: with `turns`, the
   * first attempt then waits its turn too, so this process's writers of the stream
   * never race each other and only other processes' writers cause retries.
   */
  readonly stream?: string;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs a load-decide-append attempt until it stops meeting concurrent writers: on a
 * ConcurrencyError the whole attempt runs again, so it re-reads and re-decides on the
 * fresh stream. Pauses are random up to a doubling ceiling ("full jitter"), so that
 * writers that collided spread out. Any other error, and the last ConcurrencyError
 * once `maxAttempts` ran out, is thrown to the caller. With `turns`, the retries after
 * a conflict on a stream wait their turn behind the other retries of this process on
 * that stream, so that a burst of local writers lands one after the other. When the
 * caller names the stream up front, the first attempt takes the turn as well: a retry
 * can otherwise lose every time to first attempts of new local writers, which do not
 * queue, and a burst of one process's writers could still run out of attempts.
 *
 * TODO: callers that learn their stream only by loading (a group definition by its
 * handle) still run first attempts outside the turns; a large local burst on such a
 * stream can exhaust the attempts.
 */
export function retryOnConflict<T>(
  attempt: () => Promise<T>,
  policy: ConflictRetryPolicy = DEFAULT_CONFLICT_RETRY,
  hooks: ConflictRetryHooks = {},
): Promise<T> {
  const { turns, stream } = hooks;
  if (turns && stream !== undefined) {
    // The whole run is in the turn: taking another one inside it could wait on itself.
    return turns.take(stream, () => attemptAndRetry(attempt, policy, hooks, false));
  }

  return attemptAndRetry(attempt, policy, hooks, true);
}

async function attemptAndRetry<T>(
  attempt: () => Promise<T>,
  policy: ConflictRetryPolicy,
  hooks: ConflictRetryHooks,
  retriesTakeTurns: boolean,
): Promise<T> {
  const random = hooks.random ?? Math.random;
  const sleep = hooks.sleep ?? ((ms: number) => new Promise((done) => setTimeout(done, ms)));
  let conflict: ConcurrencyError;
  try {
    return await attempt();
  } catch (error) {
    if (!(error instanceof ConcurrencyError) || policy.maxAttempts <= 1) throw error;
    conflict = error;
  }
  const retries = async (): Promise<T> => {
    for (let made = 1; ; made++) {
      const delayMs = Math.round(random() * conflictDelayCeiling(made, policy));
      hooks.onConflict?.(conflict, made, delayMs);
      await sleep(delayMs);
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || made + 1 >= policy.maxAttempts) throw error;
        conflict = error;
      }
    }
  };

  return hooks.turns && retriesTakeTurns ? hooks.turns.take(conflict.stream, retries) : retries();
}

/** Ceiling of the pause after the given attempt conflicted (1 for the first). */
export function conflictDelayCeiling(attempt: number, policy: ConflictRetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

/**
 * One turn at a time per key, in arrival order: a promise chain per stream, dropped
 * once it is idle. Only this process's writers queue; others are met by retries.
 */
export class StreamTurns {
  private readonly tails = new Map<string, Promise<void>>();

  async take<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => done);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with a turn taken or waiting (for tests). */
  get busy(): number {
    return this.tails.size;
  }
}
