import { type MembershipCommand } from '@profile-groups/domain';

import { type PairDecision, PairMembershipWriter } from '../pair-membership-writer';

export type { WriteResult } from '../pair-membership-writer';

/** A dynamic group's verdict on one profile. */
export interface RuleDecision extends PairDecision {
  readonly included: boolean;
}

/** Membership events from rule outcomes (`ApplyRuleOutcome`, reason `rule`). */
export class RuleMembershipWriter extends PairMembershipWriter<RuleDecision> {
  protected commandOf(decision: RuleDecision, membershipId: string, now: Date): MembershipCommand {
    return {
      kind: 'ApplyRuleOutcome',
      profileId: decision.profileId,
      included: decision.included,
      membershipId,
      now,
    };
  }
}
