import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type MemberRemoved } from '@profile-groups/contracts';
import { decideMembership, DomainError } from '@profile-groups/domain';
import { EventStore } from '@profile-groups/event-store';

import { ConcurrencyPolicy } from '../../group-definitions/shared/concurrency';
import { GroupTargets } from '../../group-definitions/shared/group-targets';
import { Clock } from '../../infrastructure/clock';
import { type GroupProfileResource, removedProfile } from '../shared/group-profile.resource';
import { dueExpiry, MembershipPairs } from '../shared/membership-pairs';
import { RemoveGroupMemberCommand } from './remove-group-member.command';

/** Ends a membership by hand (reason `manual`); a conflict on the pair is retried. */
@CommandHandler(RemoveGroupMemberCommand)
export class RemoveGroupMemberHandler implements ICommandHandler<RemoveGroupMemberCommand> {
  constructor(
    private readonly eventStore: EventStore,
    private readonly targets: GroupTargets,
    private readonly pairs: MembershipPairs,
    private readonly concurrency: ConcurrencyPolicy,
    private readonly clock: Clock,
  ) {}

  execute(command: RemoveGroupMemberCommand): Promise<GroupProfileResource> {
    return this.concurrency.run(undefined, () => this.attempt(command));
  }

  private async attempt(command: RemoveGroupMemberCommand): Promise<GroupProfileResource> {
    const group = await this.targets.load(command.group);
    const pair = await this.pairs.load(group.id, command.profileId);
    const now = this.clock.now();
    // A membership past its expiry is no longer one to remove: not_a_member follows.
    const { state } = dueExpiry(group.state, pair, now);
    const events = decideMembership(group.state, state, {
      kind: 'RemoveMember',
      profileId: command.profileId,
      reason: 'manual',
      removedReason: command.removedReason,
      removedByProfileId: command.removedByProfileId,
      ownerProfileId: command.ownerProfileId,
      now,
    });
    const current = state.current;
    const removal = events.find((event): event is MemberRemoved => event.type === 'MemberRemoved');
    if (current === null || removal === undefined) {
      throw new DomainError('not_a_member', `Profile ${command.profileId} is not a member.`);
    }
    await this.eventStore.append(pair.stream, pair.version, events, command.metadata);

    return removedProfile(current, removal.data);
  }
}
