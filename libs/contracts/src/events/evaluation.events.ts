import { type NewEvent } from '../envelope';

/** What started an evaluation run. */
export const EVALUATION_TRIGGERS = [
  'schedule',
  'manual',
  'rule_change',
  'profile_change',
  'time',
] as const;
export type EvaluationTrigger = (typeof EVALUATION_TRIGGERS)[number];

/** The version of each rule an evaluation used (guarantee 7). */
export interface RuleVersionUsed {
  rule_id: number;
  rule_version: number;
  rule_definition_id: number | null;
  rule_definition_version: number | null;
}

export interface SnapshotCounts {
  evaluated: number;
  included: number;
  added: number;
  removed: number;
}

export type RefreshRequested = NewEvent<
  'RefreshRequested',
  { group_definition_id: number; requested_at: string }
>;

/** The worker planned the next scheduled refresh (null: none planned). */
export type RefreshScheduled = NewEvent<
  'RefreshScheduled',
  { group_definition_id: number; next_refresh_at: string | null }
>;

export type RefreshStarted = NewEvent<
  'RefreshStarted',
  {
    group_definition_id: number;
    snapshot_id: string;
    trigger: EvaluationTrigger;
    started_at: string;
  }
>;

export type RefreshFailed = NewEvent<
  'RefreshFailed',
  {
    group_definition_id: number;
    snapshot_id: string;
    trigger: EvaluationTrigger;
    error: string;
    failed_at: string;
  }
>;

/**
 * An evaluation run finished and its membership differences are stored. Per-profile
 * results are archived under `snapshot_id`; `profile_versions_digest` fingerprints
 * the (profile, version) pairs the run read, so two runs over the same data compare.
 */
export type SnapshotTaken = NewEvent<
  'SnapshotTaken',
  {
    group_definition_id: number;
    snapshot_id: string;
    trigger: EvaluationTrigger;
    started_at: string;
    finished_at: string;
    definition_version: number;
    rule_versions: RuleVersionUsed[];
    counts: SnapshotCounts;
    profile_versions_digest: string;
    next_refresh_at: string | null;
  }
>;

export type EvaluationEvent =
  | RefreshRequested
  | RefreshScheduled
  | RefreshStarted
  | RefreshFailed
  | SnapshotTaken;
