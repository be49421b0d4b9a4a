import {
  type GroupDefinitionAttributes,
  type MemberAdded,
  type MemberRemoved,
  type NewEvent,
} from '@profile-groups/contracts';

/** A static group's attributes with every optional field empty; override what a test needs. */
export function groupAttributes(
  overrides: Partial<GroupDefinitionAttributes> = {},
): GroupDefinitionAttributes {
  return {
    name: 'Test group',
    handle: 'test-group',
    type: 'static',
    source_type: null,
    source_id: null,
    query: null,
    query_type: null,
    arguments: null,
    period: null,
    period_type: null,
    absolute_expiry: null,
    refresh_period: null,
    refresh_period_type: null,
    refresh_absolute_expiry: null,
    short_description: null,
    description: null,
    owner_profile_id: null,
    meta: null,
    ...overrides,
  };
}

/** A manual `MemberAdded`, as a test appends it; `membershipId` defaults to `m-<profile>`. */
export function memberAddedEvent(
  groupId: number,
  profileId: string,
  membershipId = `m-${profileId}`,
): NewEvent<'MemberAdded', MemberAdded['data']> {
  return {
    type: 'MemberAdded',
    data: {
      group_definition_id: groupId,
      profile_id: profileId,
      membership_id: membershipId,
      added_at: '2026-01-01T00:00:00.000Z',
      expires_at: null,
      added_by_profile_id: null,
      source_type: null,
      source_id: null,
      meta: null,
    },
  };
}

/** The manual removal of the membership `memberAddedEvent` starts. */
export function memberRemovedEvent(
  groupId: number,
  profileId: string,
  membershipId = `m-${profileId}`,
): NewEvent<'MemberRemoved', MemberRemoved['data']> {
  return {
    type: 'MemberRemoved',
    data: {
      group_definition_id: groupId,
      profile_id: profileId,
      membership_id: membershipId,
      removed_at: '2026-01-02T00:00:00.000Z',
      reason: 'manual',
      removed_reason: null,
      removed_by_profile_id: null,
    },
  };
}
