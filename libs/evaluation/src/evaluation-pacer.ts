import { setImmediate } from 'node:timers/promises';

import { type EvaluationUsage } from '@profile-groups/rules';

/** About a tenth of a second of evaluation at the engine's slowest. */
export const STEPS_BETWEEN_YIELDS = 10_000_000;

/**
 * Lets other work in (Kafka heartbeats, health checks, other requests) while a run
 * evaluates many profiles in a row: the engine's budget bounds each evaluation, not a
 * thousand of them. Pass `usage` to the evaluations, and after each one
 * `if (pacer.due()) await pacer.yield()`.
 */
export class EvaluationPacer {
  readonly usage: EvaluationUsage = { steps: 0 };
  private next: number;

  constructor(private readonly every = STEPS_BETWEEN_YIELDS) {
    this.next = every;
  }

  due(): boolean {
    return this.usage.steps >= this.next;
  }

  async yield(): Promise<void> {
    this.next = this.usage.steps + this.every;
    await setImmediate();
  }
}
