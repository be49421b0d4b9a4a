/**
 * When a time-dependent rule can next flip for a (group, profile) pair, e.g. the day a
 * "joined in the last 30 days" rule stops matching. Held in memory: a full refresh
 * (run for every time-dependent group at start-up) computes them all again.
 */
export class TimeRechecks {
  private readonly due = new Map<string, { groupId: number; profileId: string; at: number }>();

  schedule(groupId: number, profileId: string, at: number | null): void {
    const key = `${groupId}\u0000${profileId}`;
    if (at === null) this.due.delete(key);
    else this.due.set(key, { groupId, profileId, at });
  }

  /** Removes and returns every recheck due at `now`, grouped by group. */
  takeDue(now: number): Map<number, string[]> {
    const taken = new Map<number, string[]>();
    for (const [key, entry] of this.due) {
      if (entry.at > now) continue;
      this.due.delete(key);
      const list = taken.get(entry.groupId) ?? [];
      list.push(entry.profileId);
      taken.set(entry.groupId, list);
    }

    return taken;
  }

  earliest(): number | null {
    let earliest: number | null = null;
    for (const entry of this.due.values()) {
      if (earliest === null || entry.at < earliest) earliest = entry.at;
    }

    return earliest;
  }

  get size(): number {
    return this.due.size;
  }
}
