import { type MemberAdded, type MembershipEvent } from '@profile-groups/contracts';

export type CurrentMembership = Omit<MemberAdded['data'], 'group_definition_id' | 'profile_id'>;

/** State of one (group, profile) pair: the membership in force, if any. */
export interface MembershipState {
  readonly current: CurrentMembership | null;
}

export const NO_MEMBERSHIP: MembershipState = { current: null };

export function evolveMembership(state: MembershipState, event: MembershipEvent): MembershipState {
  switch (event.type) {
    case 'MemberAdded': {
      const { group_definition_id: _g, profile_id: _p, ...membership } = event.data;

      return { current: membership };
    }
    case 'MemberRemoved':
      return { current: null };
    default: {
      const unreachable: never = event;
      throw new Error(`Unhandled event ${(unreachable as { type: string }).type}`);
    }
  }
}
