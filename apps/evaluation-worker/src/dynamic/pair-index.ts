import { type MembershipEvent, membershipStream } from '@profile-groups/contracts';
import { evolveMembership, type MembershipState, NO_MEMBERSHIP } from '@profile-groups/domain';
import { type EventStore } from '@profile-groups/event-store';

export interface PairState {
  /** Version of the (group, profile) stream: the expected version of the next append. */
  readonly version: number;
  readonly membership: MembershipState;
}

const NO_PAIR: PairState = { version: 0, membership: NO_MEMBERSHIP };

/**
 * The worker's picture of each dynamic group's (group, profile) streams. Loaded once
 * per group from the event store, then kept up to date by the worker's own appends
 * and by membership events from Kafka. It is a cache, never the authority: every
 * append carries the version it holds, a stale one is refused by the event store,
 * and the caller reloads that pair (`reload`) and decides again.
 */
export class PairIndex {
  private readonly groups = new Map<number, Map<string, PairState>>();
  private readonly loading = new Map<number, Promise<Map<string, PairState>>>();

  constructor(private readonly store: EventStore) {}

  async pairsOf(groupId: number): Promise<ReadonlyMap<string, PairState>> {
    return this.group(groupId);
  }

  async pair(groupId: number, profileId: string): Promise<PairState> {
    return (await this.group(groupId)).get(profileId) ?? NO_PAIR;
  }

  /** Reads one pair again from the event store, after a refused append. */
  async reload(groupId: number, profileId: string): Promise<PairState> {
    const read = await this.store.readStream(membershipStream(groupId, profileId));
    const state: PairState = {
      version: read.version,
      membership: (read.events as unknown as MembershipEvent[]).reduce(
        evolveMembership,
        NO_MEMBERSHIP,
      ),
    };
    (await this.group(groupId)).set(profileId, state);

    return state;
  }

  /** Records events that are stored (the worker's own, or seen on Kafka), in order. */
  observe(event: { stream_version: number } & MembershipEvent): void {
    const pairs = this.groups.get(event.data.group_definition_id);
    if (pairs === undefined) return;
    const known = pairs.get(event.data.profile_id) ?? NO_PAIR;
    // Only the next version applies; anything else is a replay or a gap the next
    // refused append repairs.
    if (event.stream_version !== known.version + 1) return;
    pairs.set(event.data.profile_id, {
      version: event.stream_version,
      membership: evolveMembership(known.membership, event),
    });
  }

  /**
   * Loads the pairs of many groups in one pass over the membership streams (one scan
   * instead of one per group, which matters on FerretDB, where every query scans).
   */
  async preload(groupIds: ReadonlySet<number>): Promise<void> {
    const loaded = new Map<number, Map<string, PairState>>();
    for (const groupId of groupIds) loaded.set(groupId, new Map());
    for await (const read of this.store.readAllStreams('group-member')) {
      const events = read.events as unknown as MembershipEvent[];
      const first = events[0]?.data;
      const pairs = first === undefined ? undefined : loaded.get(first.group_definition_id);
      if (first === undefined || pairs === undefined) continue;
      pairs.set(first.profile_id, {
        version: read.version,
        membership: events.reduce(evolveMembership, NO_MEMBERSHIP),
      });
    }
    for (const [groupId, pairs] of loaded) {
      if (!this.groups.has(groupId)) this.groups.set(groupId, pairs);
    }
  }

  forget(groupId: number): void {
    this.groups.delete(groupId);
  }

  private async group(groupId: number): Promise<Map<string, PairState>> {
    const known = this.groups.get(groupId);
    if (known !== undefined) return known;
    let pending = this.loading.get(groupId);
    if (pending === undefined) {
      pending = this.load(groupId).finally(() => this.loading.delete(groupId));
      this.loading.set(groupId, pending);
    }

    return pending;
  }

  private async load(groupId: number): Promise<Map<string, PairState>> {
    const reads = await this.store.readStreams('group-member', { group_definition_id: groupId });
    const pairs = new Map<string, PairState>();
    for (const read of reads.values()) {
      const events = read.events as unknown as MembershipEvent[];
      const profileId = events[0]?.data.profile_id;
      if (profileId === undefined) continue;
      pairs.set(profileId, {
        version: read.version,
        membership: events.reduce(evolveMembership, NO_MEMBERSHIP),
      });
    }
    this.groups.set(groupId, pairs);

    return pairs;
  }
}
