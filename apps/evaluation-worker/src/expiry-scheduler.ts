import { isDuplicateKey } from '@profile-groups/event-store';
import { type Logger, newCorrelationId } from '@profile-groups/observability';
import { type Collection, type Db } from 'mongodb';

import { type MembershipLifecycle } from './membership-lifecycle';

export interface ExpiryEntry {
  _id: string;
  group_definition_id: number;
  profile_id: string;
  expires_at: Date;
  /** The MemberAdded that set the expiry: the removal is caused by it. */
  cause_event_id: string;
}

/**
 * Ends timed memberships at their expiry time itself. Pending expiries are kept in
 * MongoDB (so a restart loses none) and in memory, with one timer armed for the
 * earliest. A timer that fires for a membership that changed meanwhile is harmless:
 * the decision re-reads the pair and does nothing unless that membership is due.
 * TODO: keep the in-memory schedule in a heap; finding the earliest is a linear scan,
 * fine for thousands of pending expiries per worker, slow for millions.
 */
export class ExpiryScheduler {
  private readonly entries = new Map<string, ExpiryEntry>();
  private readonly collection: Collection<ExpiryEntry>;
  private timer: NodeJS.Timeout | null = null;
  private firing: Promise<void> | null = null;
  private stopped = false;

  constructor(
    db: Db,
    private readonly lifecycle: MembershipLifecycle,
    private readonly logger: Logger,
    private readonly maxSleepMs: number,
  ) {
    this.collection = db.collection<ExpiryEntry>('worker_expiries');
  }

  async start(): Promise<void> {
    for (const entry of await this.collection.find({}).toArray()) {
      this.entries.set(entry._id, entry);
    }
    this.logger.info('expiry.loaded', { pending: this.entries.size });
    this.arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.firing;
  }

  get pending(): number {
    return this.entries.size;
  }

  async track(entry: ExpiryEntry): Promise<void> {
    try {
      await this.collection.insertOne(entry);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    this.entries.set(entry._id, entry);
    this.arm();
  }

  async untrack(membershipId: string): Promise<void> {
    await this.collection.deleteOne({ _id: membershipId });
    this.entries.delete(membershipId);
    this.arm();
  }

  private async untrackMany(membershipIds: string[]): Promise<void> {
    await this.collection.deleteMany({ _id: { $in: membershipIds } });
    membershipIds.forEach((id) => this.entries.delete(id));
  }

  private arm(): void {
    if (this.stopped || this.firing) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of this.entries.values()) {
      earliest = Math.min(earliest, entry.expires_at.getTime());
    }
    if (earliest === Number.POSITIVE_INFINITY) return;
    const delay = Math.max(0, Math.min(earliest - Date.now(), this.maxSleepMs));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.firing = this.fireDue().finally(() => {
        this.firing = null;
        this.arm();
      });
    }, delay);
  }

  /** Everything due now, one group at a time, each group in one round of writes. */
  private async fireDue(): Promise<void> {
    const now = Date.now();
    const byGroup = new Map<number, ExpiryEntry[]>();
    for (const entry of this.entries.values()) {
      if (entry.expires_at.getTime() > now) continue;
      byGroup.set(entry.group_definition_id, [
        ...(byGroup.get(entry.group_definition_id) ?? []),
        entry,
      ]);
    }
    for (const [groupId, due] of byGroup) {
      if (this.stopped) return;
      try {
        const removed = await this.lifecycle.expireMany(
          groupId,
          due.map((entry) => ({
            profileId: entry.profile_id,
            membershipId: entry._id,
            metadata: {
              correlation_id: newCorrelationId(),
              causation_id: entry.cause_event_id,
              actor: 'system:expiry',
            },
          })),
        );
        await this.untrackMany(due.map((entry) => entry._id));
        this.logger.info('expiry.fired', {
          group_definition_id: groupId,
          due: due.length,
          removed,
          late_ms: Date.now() - Math.min(...due.map((entry) => entry.expires_at.getTime())),
        });
      } catch (error) {
        // Left in place: the next timer retries them.
        this.logger.warn('expiry.failed', { group_definition_id: groupId, due: due.length, error });
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
}
