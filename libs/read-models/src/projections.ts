import {
  type EnvelopeOf,
  type GroupDefinitionEvent,
  type MemberAdded,
  type MemberRemoved,
} from '@profile-groups/contracts';
import { LIFECYCLE_EFFECT } from '@profile-groups/domain';

import { type GroupDefinitionView, type MembershipView } from './views';

/**
 * Pure projection of one group-definition event onto its view. Returns null when the
 * event is already reflected (its stream version is not newer), which makes
 * redelivery and replay harmless.
 */
export function projectGroupDefinition(
  view: GroupDefinitionView | null,
  event: EnvelopeOf<GroupDefinitionEvent>,
): GroupDefinitionView | null {
  if (view !== null && view.version >= event.stream_version) return null;
  const version = event.stream_version;
  if (event.type === 'GroupDefinitionCreated') {
    const { group_definition_id: id, definition, flags, created_at } = event.data;

    return {
      _id: id,
      id,
      ...definition,
      ...flags,
      version,
      created_at,
      updated_at: created_at,
      deleted_at: null,
      is_deleted: false,
      current_member_count: view?.current_member_count ?? 0,
      last_refreshed_at: null,
      next_refresh_at: null,
      refresh_status: 'idle',
      refresh_error: null,
    };
  }
  if (view === null) return null;
  switch (event.type) {
    case 'GroupDefinitionUpdated':
      return { ...view, ...event.data.changes, version, updated_at: event.data.updated_at };
    case 'GroupDefinitionPublished':
    case 'GroupDefinitionUnpublished':
    case 'GroupDefinitionActivated':
    case 'GroupDefinitionDeactivated':
    case 'GroupDefinitionArchived':
    case 'GroupDefinitionUnarchived':
      return {
        ...view,
        ...LIFECYCLE_EFFECT[event.type],
        version,
        updated_at: event.data.updated_at,
      };
    case 'GroupDefinitionDeleted':
      return {
        ...view,
        version,
        deleted_at: event.data.deleted_at,
        is_deleted: true,
        updated_at: event.data.deleted_at,
      };
    default: {
      const unreachable: never = event;
      throw new Error(`Unhandled event ${(unreachable as { type: string }).type}`);
    }
  }
}

export function membershipFromAdded(event: EnvelopeOf<MemberAdded>): MembershipView {
  const data = event.data;

  return {
    _id: data.membership_id,
    id: data.membership_id,
    group_definition_id: data.group_definition_id,
    profile_id: data.profile_id,
    added_at: data.added_at,
    expires_at: data.expires_at,
    removed_at: null,
    removed_reason: null,
    removal_type: null,
    added_by_profile_id: data.added_by_profile_id,
    removed_by_profile_id: null,
    source_type: data.source_type,
    source_id: data.source_id,
    meta: data.meta,
    created_at: data.added_at,
    updated_at: data.added_at,
    is_current: true,
    stream_version: event.stream_version,
  };
}

/** The fields a removal sets on its membership. */
export function removalChanges(event: EnvelopeOf<MemberRemoved>): Partial<MembershipView> {
  const data = event.data;

  return {
    removed_at: data.removed_at,
    removed_reason: data.removed_reason,
    removal_type: data.reason,
    removed_by_profile_id: data.removed_by_profile_id,
    updated_at: data.removed_at,
    is_current: false,
    stream_version: event.stream_version,
  };
}
