import {
  type EventMetadata,
  groupDefinitionStream,
  type GroupDefinitionEvent,
  type MembershipEvent,
  membershipStream,
} from '@profile-groups/contracts';
import {
  decideMembership,
  evolveGroupDefinition,
  evolveMembership,
  type GroupDefinitionState,
  type MembershipCommand,
  NO_MEMBERSHIP,
} from '@profile-groups/domain';
import { decideAndAppend, type EventStore } from '@profile-groups/event-store';

/** System-side membership decisions of the worker: expiry and the end of a deleted group. */
export class MembershipLifecycle {
  constructor(
    private readonly store: EventStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async groupState(groupId: number): Promise<GroupDefinitionState | null> {
    const read = await this.store.readStream(groupDefinitionStream(groupId));

    return read.events.reduce<GroupDefinitionState | null>(
      (state, event) => evolveGroupDefinition(state, event as unknown as GroupDefinitionEvent),
      null,
    );
  }

  /** Removes the membership with reason `expired` if it is still the one in force and due. */
  async expire(
    groupId: number,
    profileId: string,
    membershipId: string,
    metadata: EventMetadata,
  ): Promise<number> {
    const group = await this.groupState(groupId);

    return this.decide(groupId, profileId, group, metadata, {
      kind: 'ExpireMember',
      profileId,
      membershipId,
      now: this.clock(),
    });
  }

  /**
   * Expires many memberships of one group in one round of writes: one read of the
   * group, one of its pairs, one appendMany. Pairs that met a concurrent writer are
   * decided again one by one. Resolves with how many removals were stored.
   */
  async expireMany(
    groupId: number,
    due: readonly { profileId: string; membershipId: string; metadata: EventMetadata }[],
  ): Promise<number> {
    const group = await this.groupState(groupId);
    const pairs = await this.store.readStreams('group-member', { group_definition_id: groupId });
    const now = this.clock();
    const appends = due.flatMap((item) => {
      const stream = membershipStream(groupId, item.profileId);
      const read = pairs.get(stream) ?? { stream, version: 0, events: [] };
      const state = (read.events as unknown as MembershipEvent[]).reduce(
        evolveMembership,
        NO_MEMBERSHIP,
      );
      const events = decideMembership(group, state, {
        kind: 'ExpireMember',
        profileId: item.profileId,
        membershipId: item.membershipId,
        now,
      });

      return events.length > 0
        ? [{ stream, expectedVersion: read.version, events, metadata: item.metadata }]
        : [];
    });
    const { appended, conflicts } = await this.store.appendMany(appends, due[0]!.metadata);
    let removed = appended.size;
    for (const stream of conflicts) {
      const item = due.find((d) => membershipStream(groupId, d.profileId) === stream);
      if (item)
        removed += await this.expire(groupId, item.profileId, item.membershipId, item.metadata);
    }

    return removed;
  }

  /** Ends one pair's membership if its group is deleted (reason `group_deleted`). */
  async endMembershipOfDeletedGroup(
    groupId: number,
    profileId: string,
    metadata: EventMetadata,
  ): Promise<number> {
    const group = await this.groupState(groupId);

    return this.decide(groupId, profileId, group, metadata, {
      kind: 'EndMembershipOfDeletedGroup',
      profileId,
      now: this.clock(),
    });
  }

  /** Ends every current membership of a deleted group (reason `group_deleted`). */
  async endMembershipsOf(groupId: number, metadata: EventMetadata): Promise<number> {
    const group = await this.groupState(groupId);
    if (group === null || !group.deleted) return 0;
    const pairs = await this.store.readStreams('group-member', { group_definition_id: groupId });
    let ended = 0;
    for (const read of pairs.values()) {
      const profileId = (read.events[0]?.data as { profile_id?: string } | undefined)?.profile_id;
      if (profileId === undefined) continue;
      ended += await this.decide(groupId, profileId, group, metadata, {
        kind: 'EndMembershipOfDeletedGroup',
        profileId,
        now: this.clock(),
      });
    }

    return ended;
  }

  private async decide(
    groupId: number,
    profileId: string,
    group: GroupDefinitionState | null,
    metadata: EventMetadata,
    command: MembershipCommand,
  ): Promise<number> {
    const result = await decideAndAppend(
      this.store,
      {
        stream: membershipStream(groupId, profileId),
        initial: NO_MEMBERSHIP,
        evolve: (state, event: MembershipEvent) => evolveMembership(state, event),
        decide: (state) => decideMembership(group, state, command),
      },
      metadata,
    );

    return result.appended.length;
  }
}
