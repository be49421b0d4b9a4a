import {
  type JsonObject,
  type MemberAdded,
  type MemberRemoved,
  type RemovalReason,
} from '@profile-groups/contracts';
import { type CurrentMembership } from '@profile-groups/domain';
import { type MembershipView } from '@profile-groups/read-models';

/** A GroupProfile (API.md), with `removal_type` saying why a membership ended. */
export interface GroupProfileResource {
  readonly id: string;
  readonly group_definition_id: number;
  readonly profile_id: string;
  readonly added_at: string;
  readonly expires_at: string | null;
  readonly removed_at: string | null;
  readonly removed_reason: string | null;
  readonly removal_type: RemovalReason | null;
  readonly added_by_profile_id: string | null;
  readonly removed_by_profile_id: string | null;
  readonly source_type: string | null;
  readonly source_id: string | null;
  readonly meta: JsonObject | null;
  readonly created_at: string;
  readonly updated_at: string;
}

/** A membership in force, from the folded pair stream. */
export function currentProfile(
  groupDefinitionId: number,
  profileId: string,
  membership: CurrentMembership,
): GroupProfileResource {
  return {
    id: membership.membership_id,
    group_definition_id: groupDefinitionId,
    profile_id: profileId,
    added_at: membership.added_at,
    expires_at: membership.expires_at,
    removed_at: null,
    removed_reason: null,
    removal_type: null,
    added_by_profile_id: membership.added_by_profile_id,
    removed_by_profile_id: null,
    source_type: membership.source_type,
    source_id: membership.source_id,
    meta: membership.meta,
    created_at: membership.added_at,
    updated_at: membership.added_at,
  };
}

export function addedProfile(added: MemberAdded['data']): GroupProfileResource {
  const { group_definition_id, profile_id, ...membership } = added;

  return currentProfile(group_definition_id, profile_id, membership);
}

export function removedProfile(
  membership: CurrentMembership,
  removed: MemberRemoved['data'],
): GroupProfileResource {
  return {
    ...currentProfile(removed.group_definition_id, removed.profile_id, membership),
    removed_at: removed.removed_at,
    removed_reason: removed.removed_reason,
    removal_type: removed.reason,
    removed_by_profile_id: removed.removed_by_profile_id,
    updated_at: removed.removed_at,
  };
}

export function profileFromView(view: MembershipView): GroupProfileResource {
  return {
    id: view.id,
    group_definition_id: view.group_definition_id,
    profile_id: view.profile_id,
    added_at: view.added_at,
    expires_at: view.expires_at,
    removed_at: view.removed_at,
    removed_reason: view.removed_reason,
    removal_type: view.removal_type,
    added_by_profile_id: view.added_by_profile_id,
    removed_by_profile_id: view.removed_by_profile_id,
    source_type: view.source_type,
    source_id: view.source_id,
    meta: view.meta,
    created_at: view.created_at,
    updated_at: view.updated_at,
  };
}
