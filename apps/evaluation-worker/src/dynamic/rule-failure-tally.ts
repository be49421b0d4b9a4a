import { type RuleEvaluationFailure } from '@profile-groups/domain';

/**
 * Counts the rules that could not be evaluated for profiles during a run (each taken as
 * not matching that profile), for one log line per run instead of one per profile: a
 * rule past the evaluation budget fails for many profiles alike.
 */
export class RuleFailureTally {
  private readonly counts = new Map<string, number>();
  private failed = 0;
  private firstProfile: string | null = null;

  /** Adds one profile's failures, if it had any. */
  add(profileId: string, failures: readonly RuleEvaluationFailure[]): void {
    if (failures.length === 0) return;
    this.failed++;
    this.firstProfile ??= profileId;
    for (const { ruleId, code } of failures) {
      const key = `${ruleId === null ? 'query' : `rule ${ruleId}`}: ${code}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  get isEmpty(): boolean {
    return this.failed === 0;
  }

  /**
   * Log fields: how many profiles had failures, the first of them, and the count per
   * rule (or the query) and code, e.g. `{"rule 2: budget_exceeded": 120}`.
   */
  fields(): Record<string, unknown> {
    return {
      profiles: this.failed,
      first_profile_id: this.firstProfile,
      failures: Object.fromEntries(this.counts),
    };
  }
}
