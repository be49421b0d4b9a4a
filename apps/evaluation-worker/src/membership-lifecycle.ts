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
import { decideAndAppend, type EventStore, type StreamRead } from '@profile-groups/event-store';

interface PairDecision {
  readonly profileId: string;
  readonly metadata: EventMetadata;
  readonly command: MembershipCommand;
}

/**
 * System-side membership decisions of the worker: expiry, and the end of a deleted
 * group's or a deleted profile's memberships.
 */
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
    if (due.length === 0) return 0;
    const group = await this.groupState(groupId);
    const pairs = await this.store.readStreams('group-member', { group_definition_id: groupId });
    const now = this.clock();

    return this.decideMany(
      groupId,
      group,
      pairs,
      due.map((item) => ({
        profileId: item.profileId,
        metadata: item.metadata,
        command: {
          kind: 'ExpireMember',
          profileId: item.profileId,
          membershipId: item.membershipId,
          now,
        },
      })),
    );
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

  /** Ends one pair's membership because its profile is deleted (reason `profile_deleted`). */
  async endMembershipOfDeletedProfile(
    groupId: number,
    profileId: string,
    metadata: EventMetadata,
  ): Promise<number> {
    const group = await this.groupState(groupId);

    return this.decide(groupId, profileId, group, metadata, {
      kind: 'EndMembershipOfDeletedProfile',
      profileId,
      now: this.clock(),
    });
  }

  /**
   * Ends every current membership of a deleted group (reason `group_deleted`), in
   * chunks of `chunkSize` pairs with `afterChunk` between them, so that a consumer
   * can heartbeat through a group of any size. Safe to run again after a crash:
   * pairs already ended decide to nothing.
   */
  async endMembershipsOf(
    groupId: number,
    metadata: EventMetadata,
    afterChunk: () => Promise<void> = () => Promise.resolve(),
    chunkSize = 500,
  ): Promise<number> {
    const group = await this.groupState(groupId);
    if (group === null || !group.deleted) return 0;
    const pairs = await this.store.readStreams('group-member', { group_definition_id: groupId });
    const now = this.clock();
    const decisions = [...pairs.values()].flatMap((read) => {
      const profileId = (read.events[0]?.data as { profile_id?: string } | undefined)?.profile_id;
      if (profileId === undefined) return [];
      const command: MembershipCommand = { kind: 'EndMembershipOfDeletedGroup', profileId, now };

      return [{ profileId, metadata, command }];
    });
    let ended = 0;
    for (let start = 0; start < decisions.length; start += chunkSize) {
      ended += await this.decideMany(
        groupId,
        group,
        pairs,
        decisions.slice(start, start + chunkSize),
      );
      await afterChunk();
    }

    return ended;
  }

  /**
   * Decides each pair from the already-read streams and appends the results in one
   * appendMany; pairs that met a concurrent writer are decided again one by one.
   */
  private async decideMany(
    groupId: number,
    group: GroupDefinitionState | null,
    pairs: ReadonlyMap<string, StreamRead>,
    decisions: readonly PairDecision[],
  ): Promise<number> {
    const pending = new Map<string, PairDecision>();
    const appends = decisions.flatMap((decision) => {
      const stream = membershipStream(groupId, decision.profileId);
      const read = pairs.get(stream) ?? { stream, version: 0, events: [] };
      const state = (read.events as unknown as MembershipEvent[]).reduce(
        evolveMembership,
        NO_MEMBERSHIP,
      );
      const events = decideMembership(group, state, decision.command);
      if (events.length === 0) return [];
      pending.set(stream, decision);

      return [{ stream, expectedVersion: read.version, events, metadata: decision.metadata }];
    });
    if (appends.length === 0) return 0;
    const { appended, conflicts } = await this.store.appendMany(appends, appends[0]!.metadata);
    let stored = appended.size;
    for (const stream of conflicts) {
      const decision = pending.get(stream)!;
      stored += await this.decide(
        groupId,
        decision.profileId,
        group,
        decision.metadata,
        decision.command,
      );
    }

    return stored;
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
