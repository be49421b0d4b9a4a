import { type ConnectionSnapshot, type MembershipCommand } from '@profile-groups/domain';

import { type PairDecision, PairMembershipWriter } from '../pair-membership-writer';

/** The owner's connection to one profile, to apply to one of the owner's instances. */
export interface ConnectionDecision extends PairDecision {
  readonly connection: ConnectionSnapshot | null;
}

/**
 * Membership events of favourite instances from the owner's connections
 * (`ApplyConnectionOutcome`): a pair refused as stale (a manual add or removal got
 * there first) is reloaded and decided again.
 */
export class ConnectionMembershipWriter extends PairMembershipWriter<ConnectionDecision> {
  protected commandOf(
    decision: ConnectionDecision,
    membershipId: string,
    now: Date,
  ): MembershipCommand {
    return {
      kind: 'ApplyConnectionOutcome',
      profileId: decision.profileId,
      connection: decision.connection,
      membershipId,
      now,
    };
  }
}
