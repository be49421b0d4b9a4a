import {
  type EvaluationTrigger,
  type RuleVersionUsed,
  type SnapshotCounts,
} from '@profile-groups/contracts';
import { type ProfileResult } from '@profile-groups/evaluation';
import { type SnapshotStatus, type SnapshotView } from '@profile-groups/read-models';

/** One evaluation run of a group (API.md, Snapshots). */
export interface SnapshotResource {
  readonly id: string;
  readonly group_definition_id: number;
  readonly trigger: EvaluationTrigger;
  readonly status: SnapshotStatus;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly error: string | null;
  readonly counts: SnapshotCounts | null;
  readonly rule_versions: RuleVersionUsed[] | null;
  readonly definition_version: number | null;
  readonly profile_versions_digest: string | null;
}

export function snapshotFromView(view: SnapshotView): SnapshotResource {
  return {
    id: view.id,
    group_definition_id: view.group_definition_id,
    trigger: view.trigger,
    status: view.status,
    started_at: view.started_at,
    finished_at: view.finished_at,
    error: view.error,
    counts: view.counts,
    rule_versions: view.rule_versions,
    definition_version: view.definition_version,
    profile_versions_digest: view.profile_versions_digest,
  };
}

/** One profile's result in a run. */
export interface SnapshotProfileResource {
  readonly profile_id: string;
  readonly profile_version: number;
  readonly included: boolean;
  readonly matched_rule_ids: number[];
  readonly changed: boolean;
}

export function snapshotProfileFrom(result: ProfileResult): SnapshotProfileResource {
  return {
    profile_id: result.profile_id,
    profile_version: result.profile_version,
    included: result.included,
    matched_rule_ids: result.matched_rule_ids,
    changed: result.changed,
  };
}
