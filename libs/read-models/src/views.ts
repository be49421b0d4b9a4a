import {
  type GroupDefinitionAttributes,
  type GroupDefinitionFlags,
  type JsonObject,
  type RemovalReason,
} from '@profile-groups/contracts';

/** A group definition as the API shows it, plus the stream version it reflects. */
export interface GroupDefinitionView extends GroupDefinitionAttributes, GroupDefinitionFlags {
  _id: number;
  id: number;
  /** Stream version of the last applied event: the `version` the API reports. */
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  /** Equality-filterable twin of deleted_at. */
  is_deleted: boolean;
  current_member_count: number;
  last_refreshed_at: string | null;
  next_refresh_at: string | null;
  refresh_status: 'idle' | 'queued' | 'running' | 'failed';
  refresh_error: string | null;
}

/** One membership (API GroupProfile). A re-add after a removal is a new document. */
export interface MembershipView {
  _id: string;
  id: string;
  group_definition_id: number;
  profile_id: string;
  added_at: string;
  expires_at: string | null;
  removed_at: string | null;
  removed_reason: string | null;
  /** Why the membership ended: manual, expired, rule, connection, group_deleted. */
  removal_type: RemovalReason | null;
  added_by_profile_id: string | null;
  removed_by_profile_id: string | null;
  source_type: string | null;
  source_id: string | null;
  meta: JsonObject | null;
  created_at: string;
  updated_at: string;
  /** Equality-filterable flag (FerretDB cannot push `removed_at: null` down to its backend). */
  is_current: boolean;
  /** Version of the (group, profile) stream last applied to this membership. */
  stream_version: number;
}

export interface ReadModelCollections {
  readonly definitions: string;
  readonly memberships: string;
}

export const LIVE_COLLECTIONS: ReadModelCollections = {
  definitions: 'rm_group_definitions',
  memberships: 'rm_group_memberships',
};

export function collectionsWithSuffix(suffix: string): ReadModelCollections {
  return {
    definitions: `${LIVE_COLLECTIONS.definitions}${suffix}`,
    memberships: `${LIVE_COLLECTIONS.memberships}${suffix}`,
  };
}
