import { backoffDelay } from './failures';

/** Where a batch failed: the offset a commit must pass for the consumer to have moved on. */
export interface FailedPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** Time and jitter of the backoff; tests pass their own. */
export interface RestartClock {
  readonly now: () => number;
  readonly random: () => number;
}

export interface RestartBackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
  /** A consumer that ran this long since it joined without crashing starts over. */
  readonly healthyAfterMs: number;
  readonly clock: RestartClock;
}

export const SYSTEM_RESTART_CLOCK: RestartClock = { now: Date.now, random: Math.random };

/**
 * The delays between restarts of a consumer that keeps crashing. Joining the group
 * again is no sign of health (a consumer that crashes on one record rejoins before
 * every crash), so the delays grow until the consumer has made progress: committed
 * past the offset of the batch that failed, or run `healthyAfterMs` without crashing.
 */
export class RestartBackoff {
  private made = 0;
  private failed: FailedPosition | null = null;
  private joinedAt: number | null = null;

  constructor(private readonly options: RestartBackoffOptions) {}

  /** Restarts in a row since the consumer last made progress. */
  get restarts(): number {
    return this.made;
  }

  joined(): void {
    this.joinedAt = this.options.clock.now();
  }

  /** A batch failed here; a crash is likely to follow. */
  failedAt(position: FailedPosition): void {
    this.failed = position;
  }

  /** Offsets up to `nextOffset` (exclusive) of a partition are committed. */
  committed(topic: string, partition: number, nextOffset: string): void {
    const failed = this.failed;
    // After a crash no batch is known for (a failed join, say), any commit is progress.
    if (failed === null) this.startOver();
    else if (failed.topic !== topic || failed.partition !== partition) return;
    else if (BigInt(nextOffset) > BigInt(failed.offset)) this.startOver();
  }

  /** A restart is due: its number in the run of restarts and the pause before it. */
  next(): { restart: number; delayMs: number } {
    const { baseMs, capMs, healthyAfterMs, clock } = this.options;
    if (this.joinedAt !== null && clock.now() - this.joinedAt >= healthyAfterMs) {
      this.startOver();
    }
    this.joinedAt = null;
    this.made++;

    return { restart: this.made, delayMs: backoffDelay(this.made, baseMs, capMs, clock.random) };
  }

  private startOver(): void {
    this.made = 0;
    this.failed = null;
  }
}
