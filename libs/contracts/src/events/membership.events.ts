import { type NewEvent } from '../envelope';
import { type JsonObject } from './group-definition.events';

/** Why a membership ended. `manual` covers API removals; the others are system decisions. */
export const REMOVAL_REASONS = [
  'manual',
  'expired',
  'rule',
  'connection',
  'group_deleted',
  'profile_deleted',
] as const;
export type RemovalReason = (typeof REMOVAL_REASONS)[number];

export type MemberAdded = NewEvent<
  'MemberAdded',
  {
    group_definition_id: number;
    profile_id: string;
    /** Identifies this membership; a later re-add starts a new one. */
    membership_id: string;
    added_at: string;
    expires_at: string | null;
    added_by_profile_id: string | null;
    source_type: string | null;
    source_id: string | null;
    meta: JsonObject | null;
    /** Present on the memberships of a profile-owned (favourite) group: its owner. */
    owner_profile_id?: string;
  }
>;

export type MemberRemoved = NewEvent<
  'MemberRemoved',
  {
    group_definition_id: number;
    profile_id: string;
    membership_id: string;
    removed_at: string;
    reason: RemovalReason;
    /** Free text from the operator (API `removed_reason`, at most 255 characters). */
    removed_reason: string | null;
    removed_by_profile_id: string | null;
    /** Present on the memberships of a profile-owned (favourite) group: its owner. */
    owner_profile_id?: string;
  }
>;

export type MembershipEvent = MemberAdded | MemberRemoved;
