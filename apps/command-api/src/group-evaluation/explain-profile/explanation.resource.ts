import { type EffectiveRule, type RuleType } from '@profile-groups/contracts';
import { type GroupExplanation, type OutcomeReason } from '@profile-groups/domain';
import { type ProfileRecord, type ProfileResult } from '@profile-groups/evaluation';
import { type SnapshotView } from '@profile-groups/read-models';

export interface ExplainedRule {
  readonly id: number;
  readonly type: RuleType;
  readonly is_active: boolean;
  readonly matched: boolean;
  readonly effective: EffectiveRule;
  /** The evaluated tree, with the value of every sub-expression. */
  readonly trace: unknown;
  /** Why the rule could not be evaluated (it then did not match), and its machine code. */
  readonly error?: string;
  readonly error_code?: string;
}

/** How the latest completed run saw the profile, beside the live decision. */
export interface SnapshotComparison {
  readonly id: string | null;
  readonly finished_at: string | null;
  /** Null when there is no completed run or the profile was not evaluated in it. */
  readonly result: {
    readonly included: boolean;
    readonly matched_rule_ids: number[];
    readonly profile_version: number;
  } | null;
  /** Whether the live decision is the run's; null without a result to compare. */
  readonly agrees: boolean | null;
  /** Whether the read model has the profile as a current member. */
  readonly is_member: boolean;
}

export interface ExplanationResource {
  readonly profile_id: string;
  readonly group_definition_id: number;
  readonly included: boolean;
  readonly reason: OutcomeReason;
  readonly evaluated_at: string;
  readonly profile_version: number;
  readonly query: {
    readonly matched: boolean;
    readonly trace: unknown;
    readonly error?: string;
    readonly error_code?: string;
  } | null;
  readonly rules: ExplainedRule[];
  readonly snapshot: SnapshotComparison;
}

export function explanationResource(
  groupId: number,
  profile: ProfileRecord,
  explanation: GroupExplanation,
  evaluatedAt: Date,
  snapshot: { run: SnapshotView | null; result: ProfileResult | null; isMember: boolean },
): ExplanationResource {
  const { outcome } = explanation;
  const result =
    snapshot.result === null
      ? null
      : {
          included: snapshot.result.included,
          matched_rule_ids: snapshot.result.matched_rule_ids,
          profile_version: snapshot.result.profile_version,
        };

  return {
    profile_id: profile.profile_id,
    group_definition_id: groupId,
    included: outcome.included,
    reason: outcome.reason,
    evaluated_at: evaluatedAt.toISOString(),
    profile_version: profile.version,
    query: explanation.query,
    rules: explanation.rules,
    snapshot: {
      id: snapshot.run?.id ?? null,
      finished_at: snapshot.run?.finished_at ?? null,
      result,
      agrees: result === null ? null : result.included === outcome.included,
      is_member: snapshot.isMember,
    },
  };
}
