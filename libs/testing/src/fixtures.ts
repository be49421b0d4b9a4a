import { type GroupDefinitionAttributes } from '@profile-groups/contracts';

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
