/**
 * Profiles the intake applied while full refreshes were running. A refresh reads the
 * profile store as it streams by; a profile changed behind it is left to the
 * incremental evaluation that follows every change, which has the newer data.
 */
export class ProfileChangeLog {
  private readonly changes = new Map<string, { version: number; at: number }>();

  note(profileId: string, version: number, at: number): void {
    this.changes.delete(profileId);
    this.changes.set(profileId, { version, at });
  }

  /** Whether the profile changed after `version`, or at all since `since` (epoch ms). */
  changedSince(profileId: string, version: number | null, since: number): boolean {
    const change = this.changes.get(profileId);
    if (change === undefined) return false;

    return version === null ? change.at >= since : change.version > version;
  }

  /** Drops what no running refresh can ask about (entries are kept in time order). */
  prune(before: number): void {
    for (const [profileId, change] of this.changes) {
      if (change.at >= before) break;
      this.changes.delete(profileId);
    }
  }
}
