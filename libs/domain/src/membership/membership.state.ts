import { type MemberAdded, type MembershipEvent } from '@profile-groups/contracts';

export type CurrentMembership = Omit<MemberAdded['data'], 'group_definition_id' | 'profile_id'>;

/** What an operator (or a group's owner) last did to the pair by hand. */
export type ManualAction = 'added' | 'removed';

/** State of one (group, profile) pair: the membership in force, if any. */
export interface MembershipState {
  readonly current: CurrentMembership | null;
  /**
   * The pair's last manual add or removal, while it stands: a favourite group's
   * connections never undo it. Memberships the system starts (`source_type`
   * `connection` or `rule`) and ends (reason `connection` or `rule`) leave it alone;
   * an expiry or the end of the group or profile clears it.
   */
  readonly last_manual_action: ManualAction | null;
}

export const NO_MEMBERSHIP: MembershipState = { current: null, last_manual_action: null };

/** `source_type` of the memberships the system itself starts. */
const SYSTEM_SOURCES: ReadonlySet<string | null> = new Set(['connection', 'rule']);

export function evolveMembership(state: MembershipState, event: MembershipEvent): MembershipState {
  switch (event.type) {
    case 'MemberAdded': {
      const { group_definition_id: _g, profile_id: _p, ...membership } = event.data;
      const manual = SYSTEM_SOURCES.has(membership.source_type) ? null : 'added';

      return { current: membership, last_manual_action: manual ?? state.last_manual_action };
    }
    case 'MemberRemoved':
      return { current: null, last_manual_action: manualAfterRemoval(state, event.data.reason) };
    default: {
      const unreachable: never = event;
      throw new Error(`Unhandled event ${(unreachable as { type: string }).type}`);
    }
  }
}

function manualAfterRemoval(
  state: MembershipState,
  reason: Extract<MembershipEvent, { type: 'MemberRemoved' }>['data']['reason'],
): ManualAction | null {
  switch (reason) {
    case 'manual':
      return 'removed';
    case 'connection':
    case 'rule':
      return state.last_manual_action;
    case 'expired':
    case 'group_deleted':
    case 'profile_deleted':
      return null;
    default: {
      const unreachable: never = reason;
      throw new Error(`Unhandled removal reason ${String(unreachable)}`);
    }
  }
}
