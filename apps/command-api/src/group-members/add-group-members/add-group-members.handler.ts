import { randomUUID } from 'node:crypto';

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type MemberAdded,
  type MembershipEvent,
  membershipStream,
} from '@profile-groups/contracts';
import { decideMembership, type GroupDefinitionState } from '@profile-groups/domain';
import {
  type Append,
  AppendOutcomeUnknownError,
  ConcurrencyError,
  EventStore,
  isMongoUnavailable,
} from '@profile-groups/event-store';

import { ConcurrencyPolicy } from '../../group-definitions/shared/concurrency';
import { GroupTargets } from '../../group-definitions/shared/group-targets';
import { Clock } from '../../infrastructure/clock';
import {
  addedProfile,
  currentProfile,
  type GroupProfileResource,
} from '../shared/group-profile.resource';
import { dueExpiry, type LoadedPair, MembershipPairs } from '../shared/membership-pairs';
import {
  AddGroupMembersCommand,
  type AddGroupMembersResult,
  type MembershipDetails,
} from './add-group-members.command';

/**
 * Adds profiles to a static group: each pair is decided on its own stream, and all
 * new memberships are stored in one `appendMany`. Pairs that met a concurrent writer
 * are re-read and decided again through the ConcurrencyPolicy; the others stand.
 */
@CommandHandler(AddGroupMembersCommand)
export class AddGroupMembersHandler implements ICommandHandler<AddGroupMembersCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly targets: GroupTargets,
    private readonly pairs: MembershipPairs,
    private readonly concurrency: ConcurrencyPolicy,
    private readonly clock: Clock,
  ) {}

  async execute(command: AddGroupMembersCommand): Promise<AddGroupMembersResult> {
    const group = await this.targets.load(command.group);
    const rows = new Map<string, GroupProfileResource>();
    const stored: string[] = [];
    let pending: readonly string[] | null = null;
    try {
      await this.concurrency.run(undefined, async () => {
        const pairs =
          pending === null
            ? [...(await this.pairs.loadMany(group.id, command.profileIds)).values()]
            : await Promise.all(pending.map((id) => this.pairs.load(group.id, id)));
        const round = await this.addRound(group.id, group.state, pairs, command, rows);
        stored.push(...round.stored);
        pending = round.conflicted.map((pair) => pair.profileId);
        const [first] = round.conflicted;
        if (first !== undefined) throw new ConcurrencyError(first.stream, first.version);
      });
    } catch (error) {
      // Members added in an earlier round stay added: the request did change something.
      if (stored.length > 0 && isMongoUnavailable(error)) {
        throw new AppendOutcomeUnknownError(
          stored.map((id) => membershipStream(group.id, id)),
          error,
        );
      }
      throw error;
    }

    return {
      profiles: command.profileIds.flatMap((id) => rows.get(id) ?? []),
      created: stored.length > 0,
    };
  }

  /** Decides and appends every pair: the profiles added, and the pairs that met another writer. */
  private async addRound(
    groupId: number,
    group: GroupDefinitionState,
    pairs: readonly LoadedPair[],
    command: AddGroupMembersCommand,
    rows: Map<string, GroupProfileResource>,
  ): Promise<{ stored: string[]; conflicted: LoadedPair[] }> {
    const now = this.clock.now();
    const appends: Append[] = [];
    const added = new Map<string, MemberAdded['data']>();
    for (const pair of pairs) {
      const events = decideAdd(group, pair, command.details, now, command.ownerProfileId);
      const addition = events.find((event) => event.type === 'MemberAdded');
      if (addition === undefined) {
        // Already a member: the answer is the membership in force.
        const current = pair.state.current;
        if (current !== null)
          rows.set(pair.profileId, currentProfile(groupId, pair.profileId, current));
        continue;
      }
      appends.push({ stream: pair.stream, expectedVersion: pair.version, events });
      added.set(pair.stream, addition.data);
    }
    if (appends.length === 0) return { stored: [], conflicted: [] };

    const { conflicts } = await this.eventStore.appendMany(appends, command.metadata);
    const conflicted = new Set(conflicts);
    const stored: string[] = [];
    for (const [stream, data] of added) {
      if (conflicted.has(stream)) continue;
      rows.set(data.profile_id, addedProfile(data));
      stored.push(data.profile_id);
    }

    return { stored, conflicted: pairs.filter((pair) => conflicted.has(pair.stream)) };
  }
}

/** A due expiry first (so events alternate), then the addition if the pair is free. */
function decideAdd(
  group: GroupDefinitionState,
  pair: LoadedPair,
  details: MembershipDetails,
  now: Date,
  ownerProfileId: string | undefined,
): MembershipEvent[] {
  const expiry = dueExpiry(group, pair, now);
  const addition = decideMembership(group, expiry.state, {
    kind: 'AddMember',
    profileId: pair.profileId,
    membershipId: randomUUID(),
    addedByProfileId: details.addedByProfileId,
    sourceType: details.sourceType,
    sourceId: details.sourceId,
    meta: details.meta,
    ownerProfileId,
    now,
  });

  return addition.length > 0 ? [...expiry.events, ...addition] : [];
}
