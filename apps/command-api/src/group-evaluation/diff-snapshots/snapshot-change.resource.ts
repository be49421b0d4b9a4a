/** A profile whose membership differs between two runs of a group. */
export interface SnapshotChangeResource {
  readonly profile_id: string;
  /** `added`: a member after the later run only; `removed`: after the earlier one only. */
  readonly change: 'added' | 'removed';
}
