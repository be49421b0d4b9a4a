import {
  type ConnectionStatus,
  type JsonObject,
  type MembershipEvent,
  type RemovalReason,
} from '@profile-groups/contracts';

import { instanceOwner } from '../group-definition/favourite-group';
import { requireLive } from '../group-definition/group-definition.decide';
import { type GroupDefinitionState } from '../group-definition/group-definition.state';
import { DomainError } from '../shared/domain-error';
import { addPeriod } from '../shared/period';
import { type MembershipState } from './membership.state';

export interface AddMember {
  readonly kind: 'AddMember';
  readonly profileId: string;
  /** Id for the membership this add would start; unused when the profile is already a member. */
  readonly membershipId: string;
  readonly addedByProfileId: string | null;
  readonly sourceType: string | null;
  readonly sourceId: string | null;
  readonly meta: JsonObject | null;
  /** Set when asked through a profile's own groups: only that profile's instance takes it. */
  readonly ownerProfileId?: string;
  readonly now: Date;
}

export interface RemoveMember {
  readonly kind: 'RemoveMember';
  readonly profileId: string;
  readonly reason: RemovalReason;
  readonly removedReason: string | null;
  readonly removedByProfileId: string | null;
  /** As for AddMember: the owner whose instance this removal is meant for. */
  readonly ownerProfileId?: string;
  readonly now: Date;
}

/** Sent by the worker's timer; a no-op unless that very membership is due. */
export interface ExpireMember {
  readonly kind: 'ExpireMember';
  readonly profileId: string;
  readonly membershipId: string;
  readonly now: Date;
}

/** Ends a membership because its group is gone; a no-op for a pair with none. */
export interface EndMembershipOfDeletedGroup {
  readonly kind: 'EndMembershipOfDeletedGroup';
  readonly profileId: string;
  readonly now: Date;
}

/**
 * The evaluator's verdict for a dynamic group's member: in or out. A no-op when the
 * pair is already where the rules put it, so re-evaluating is always safe.
 */
export interface ApplyRuleOutcome {
  readonly kind: 'ApplyRuleOutcome';
  readonly profileId: string;
  readonly included: boolean;
  /** Id for the membership an admission would start. */
  readonly membershipId: string;
  readonly now: Date;
}

/** How a favourite instance's owner is connected to the profile now; null when not at all. */
export interface ConnectionSnapshot {
  readonly type: string;
  readonly status: ConnectionStatus;
}

/**
 * The owner's connection to a profile, as it now stands, applied to a favourite
 * instance. It counts when it is accepted and of the instance's `source_type`. A no-op
 * when the pair is already where the connection puts it, and whenever a manual action
 * stands in the way: a profile removed by hand stays out, one added by hand stays in.
 */
export interface ApplyConnectionOutcome {
  readonly kind: 'ApplyConnectionOutcome';
  readonly profileId: string;
  readonly connection: ConnectionSnapshot | null;
  /** Id for the membership an admission would start. */
  readonly membershipId: string;
  readonly now: Date;
}

/** Ends a membership because the profile itself was deleted; a no-op without one. */
export interface EndMembershipOfDeletedProfile {
  readonly kind: 'EndMembershipOfDeletedProfile';
  readonly profileId: string;
  readonly now: Date;
}

export type MembershipCommand =
  | AddMember
  | RemoveMember
  | ExpireMember
  | EndMembershipOfDeletedGroup
  | ApplyRuleOutcome
  | ApplyConnectionOutcome
  | EndMembershipOfDeletedProfile;

/**
 * Pure decision for one (group, profile) pair. Events alternate per pair by
 * construction: an add is only emitted without a current membership, a removal
 * only with one.
 */
export function decideMembership(
  group: GroupDefinitionState | null,
  state: MembershipState,
  command: MembershipCommand,
): MembershipEvent[] {
  switch (command.kind) {
    case 'AddMember':
      return add(requireLive(group), state, command);
    case 'RemoveMember': {
      const live = requireLive(group);
      requireAskedByOwner(live, command.ownerProfileId, 'removed from');
      if (state.current === null) {
        throw new DomainError(
          'not_a_member',
          `Profile ${command.profileId} is not a member of group ${live.id}.`,
        );
      }

      return [
        removal(live, command.profileId, state.current.membership_id, command.now, {
          reason: command.reason,
          removed_reason: command.removedReason,
          removed_by_profile_id: command.removedByProfileId,
        }),
      ];
    }
    case 'ExpireMember': {
      const current = state.current;
      const due =
        current !== null &&
        current.membership_id === command.membershipId &&
        current.expires_at !== null &&
        Date.parse(current.expires_at) <= command.now.getTime();
      if (!due || group === null) return [];

      return [
        removal(group, command.profileId, command.membershipId, command.now, {
          reason: 'expired',
          removed_reason: null,
          removed_by_profile_id: null,
        }),
      ];
    }
    case 'EndMembershipOfDeletedGroup': {
      if (state.current === null || group === null || !group.deleted) return [];

      return [
        removal(group, command.profileId, state.current.membership_id, command.now, {
          reason: 'group_deleted',
          removed_reason: null,
          removed_by_profile_id: null,
        }),
      ];
    }
    case 'ApplyRuleOutcome':
      return applyRuleOutcome(group, state, command);
    case 'ApplyConnectionOutcome':
      return applyConnectionOutcome(group, state, command);
    case 'EndMembershipOfDeletedProfile': {
      if (state.current === null || group === null) return [];

      return [
        removal(group, command.profileId, state.current.membership_id, command.now, {
          reason: 'profile_deleted',
          removed_reason: null,
          removed_by_profile_id: null,
        }),
      ];
    }
    default: {
      const unreachable: never = command;
      throw new Error(`Unknown command ${(unreachable as { kind: string }).kind}`);
    }
  }
}

function applyRuleOutcome(
  group: GroupDefinitionState | null,
  state: MembershipState,
  command: ApplyRuleOutcome,
): MembershipEvent[] {
  // A group deleted meanwhile keeps no one; its members are ended by the deletion.
  if (group === null || group.deleted || group.attributes.type !== 'dynamic') return [];
  // Like a manual add, an archived group takes no one new; its members stay.
  if (command.included && state.current === null && !group.flags.is_archived) {
    return [
      {
        type: 'MemberAdded',
        data: {
          group_definition_id: group.id,
          profile_id: command.profileId,
          membership_id: command.membershipId,
          added_at: command.now.toISOString(),
          expires_at: null,
          added_by_profile_id: null,
          source_type: 'rule',
          source_id: null,
          meta: null,
        },
      },
    ];
  }
  if (!command.included && state.current !== null) {
    return [
      removal(group, command.profileId, state.current.membership_id, command.now, {
        reason: 'rule',
        removed_reason: null,
        removed_by_profile_id: null,
      }),
    ];
  }

  return [];
}

function applyConnectionOutcome(
  group: GroupDefinitionState | null,
  state: MembershipState,
  command: ApplyConnectionOutcome,
): MembershipEvent[] {
  const owner = instanceOwner(group);
  // Only a live favourite instance follows connections; a deleted one ends by its deletion.
  if (group === null || group.deleted || owner === null) return [];
  const { connection } = command;
  const counts =
    connection !== null &&
    connection.status === 'accepted' &&
    connection.type === group.attributes.source_type;
  const cap = connectionMembershipExpiry(group);
  const admit =
    counts &&
    state.current === null &&
    state.last_manual_action !== 'removed' &&
    !group.flags.is_archived &&
    (cap === null || cap.getTime() > command.now.getTime());
  if (admit) {
    return [
      {
        type: 'MemberAdded',
        data: {
          group_definition_id: group.id,
          profile_id: command.profileId,
          membership_id: command.membershipId,
          added_at: command.now.toISOString(),
          expires_at: cap?.toISOString() ?? null,
          added_by_profile_id: null,
          source_type: 'connection',
          source_id: connection.type,
          meta: null,
          owner_profile_id: owner,
        },
      },
    ];
  }
  // Only a membership the connection started ends with it; a manual addition stays.
  if (!counts && state.current?.source_type === 'connection') {
    return [
      removal(group, command.profileId, state.current.membership_id, command.now, {
        reason: 'connection',
        removed_reason: null,
        removed_by_profile_id: null,
      }),
    ];
  }

  return [];
}

/**
 * A favourite instance's members are managed by hand only through its owner's groups,
 * and those reach no other group.
 */
function requireAskedByOwner(
  group: GroupDefinitionState,
  askedFor: string | undefined,
  verb: 'added to' | 'removed from',
): void {
  const owner = instanceOwner(group);
  if (owner === null && askedFor === undefined) return;
  if (owner === null || (askedFor !== undefined && askedFor !== owner)) {
    throw new DomainError('not_found', 'Group definition not found.');
  }
  if (askedFor === undefined) {
    throw new DomainError(
      'wrong_group_type',
      `Profiles are ${verb} a profile's favourite group through its owner's groups.`,
    );
  }
}

function add(
  group: GroupDefinitionState,
  state: MembershipState,
  command: AddMember,
): MembershipEvent[] {
  requireAskedByOwner(group, command.ownerProfileId, 'added to');
  const owner = instanceOwner(group);
  if (group.attributes.type !== 'static' && owner === null) {
    throw new DomainError(
      'wrong_group_type',
      `Members of a ${group.attributes.type} group are not added through this endpoint.`,
    );
  }
  if (group.flags.is_archived) {
    throw new DomainError('group_archived', 'An archived group accepts no new members.');
  }
  if (state.current !== null) return [];

  const expiresAt = membershipExpiry(group, command.now);
  if (expiresAt !== null && expiresAt.getTime() <= command.now.getTime()) {
    throw new DomainError('group_expired', 'The group absolute_expiry has passed.');
  }

  return [
    {
      type: 'MemberAdded',
      data: {
        group_definition_id: group.id,
        profile_id: command.profileId,
        membership_id: command.membershipId,
        added_at: command.now.toISOString(),
        expires_at: expiresAt?.toISOString() ?? null,
        added_by_profile_id: command.addedByProfileId,
        source_type: command.sourceType,
        source_id: command.sourceId,
        meta: command.meta,
        ...(owner === null ? {} : { owner_profile_id: owner }),
      },
    },
  ];
}

/** Every membership event of a favourite instance names its owner. */
function removal(
  group: GroupDefinitionState,
  profileId: string,
  membershipId: string,
  now: Date,
  why: {
    reason: RemovalReason;
    removed_reason: string | null;
    removed_by_profile_id: string | null;
  },
): MembershipEvent {
  const owner = instanceOwner(group);

  return {
    type: 'MemberRemoved',
    data: {
      group_definition_id: group.id,
      profile_id: profileId,
      membership_id: membershipId,
      removed_at: now.toISOString(),
      ...why,
      ...(owner === null ? {} : { owner_profile_id: owner }),
    },
  };
}

/**
 * When a membership a connection starts ends: `period` is for manual additions only
 * (a connection-made membership lasts while its connection is accepted), but the
 * group's `absolute_expiry` caps it like every other; null when that is not set.
 */
export function connectionMembershipExpiry(group: GroupDefinitionState): Date | null {
  const { absolute_expiry } = group.attributes;

  return absolute_expiry === null ? null : new Date(absolute_expiry);
}

/**
 * When a membership starting now ends: `period` + `period_type` after the add,
 * capped by the group's `absolute_expiry`; null when neither is set.
 */
export function membershipExpiry(group: GroupDefinitionState, addedAt: Date): Date | null {
  const { period, period_type, absolute_expiry } = group.attributes;
  const byPeriod =
    period !== null && period_type !== null ? addPeriod(addedAt, period, period_type) : null;
  const cap = absolute_expiry !== null ? new Date(absolute_expiry) : null;
  if (byPeriod === null) return cap;
  if (cap === null) return byPeriod;

  return byPeriod.getTime() <= cap.getTime() ? byPeriod : cap;
}
