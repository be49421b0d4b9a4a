import { REMOVAL_REASONS } from '../events/membership.events';
import {
  groupDefinitionId,
  nullableObject,
  nullableString,
  nullableTimestamp,
  objectSchema,
  profileId,
  timestamp,
} from './common';

const memberAdded = {
  group_definition_id: groupDefinitionId,
  profile_id: profileId,
  membership_id: { type: 'string', minLength: 1 },
  added_at: timestamp,
  expires_at: nullableTimestamp,
  added_by_profile_id: nullableString,
  source_type: nullableString,
  source_id: nullableString,
  meta: nullableObject,
};

/** `owner_profile_id` is optional: only a profile-owned group's memberships carry it. */
export const memberAddedSchema = objectSchema(
  'MemberAdded',
  { ...memberAdded, owner_profile_id: profileId },
  Object.keys(memberAdded),
);

const memberRemoved = {
  group_definition_id: groupDefinitionId,
  profile_id: profileId,
  membership_id: { type: 'string', minLength: 1 },
  removed_at: timestamp,
  reason: { enum: [...REMOVAL_REASONS] },
  removed_reason: { type: ['string', 'null'], maxLength: 255 },
  removed_by_profile_id: nullableString,
};

export const memberRemovedSchema = objectSchema(
  'MemberRemoved',
  { ...memberRemoved, owner_profile_id: profileId },
  Object.keys(memberRemoved),
);
