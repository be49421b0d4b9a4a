import { randomUUID } from 'node:crypto';

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type MemberAdded, type MembershipEvent } from '@profile-groups/contracts';
import { decideMembership, type GroupDefinitionState } from '@profile-groups/domain';
import { type Append, EventStore } from '@profile-groups/event-store';
import { Logger } from '@profile-groups/observability';

import { CONFLICT_RETRIES } from '../../group-definitions/shared/concurrency';
import { GroupTargets } from '../../group-definitions/shared/group-targets';
import { VersionConflictError } from '../../http/errors/api-errors';
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
 * are re-read and decided again, up to CONFLICT_RETRIES more rounds.
 */
@CommandHandler(AddGroupMembersCommand)
export class AddGroupMembersHandler implements ICommandHandler<AddGroupMembersCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly targets: GroupTargets,
    private readonly pairs: MembershipPairs,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async execute(command: AddGroupMembersCommand): Promise<AddGroupMembersResult> {
    const group = await this.targets.load(command.group);
    const rows = new Map<string, GroupProfileResource>();
    let created = false;
    let pairs = [...(await this.pairs.loadMany(group.id, command.profileIds)).values()];

    for (let round = 0; pairs.length > 0; round++) {
      const now = this.clock.now();
      const appends: Append[] = [];
      const added = new Map<string, MemberAdded['data']>();
      for (const pair of pairs) {
        const events = decideAdd(group.state, pair, command.details, now, command.ownerProfileId);
        const addition = events.find((event) => event.type === 'MemberAdded');
        if (addition === undefined) {
          // Already a member: the answer is the membership in force.
          const current = pair.state.current;
          if (current !== null)
            rows.set(pair.profileId, currentProfile(group.id, pair.profileId, current));
          continue;
        }
        appends.push({ stream: pair.stream, expectedVersion: pair.version, events });
        added.set(pair.stream, addition.data);
      }
      if (appends.length === 0) break;

      const { conflicts } = await this.eventStore.appendMany(appends, command.metadata);
      const conflicted = new Set(conflicts);
      for (const [stream, data] of added) {
        if (conflicted.has(stream)) continue;
        rows.set(data.profile_id, addedProfile(data));
        created = true;
      }
      if (conflicts.length === 0) break;
      const retry = pairs.filter((pair) => conflicted.has(pair.stream));
      if (round >= CONFLICT_RETRIES) {
        const current = await this.eventStore.readStream(conflicts[0] ?? '');
        throw new VersionConflictError(current.version);
      }
      this.logger.debug('command.conflict_retried', {
        conflicts: conflicts.length,
        retry: round + 1,
      });
      pairs = await Promise.all(retry.map((pair) => this.pairs.load(group.id, pair.profileId)));
    }

    return {
      profiles: command.profileIds.flatMap((id) => rows.get(id) ?? []),
      created,
    };
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
