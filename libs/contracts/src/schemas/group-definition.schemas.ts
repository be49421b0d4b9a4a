import { GROUP_TYPES, PERIOD_TYPES } from '../events/group-definition.events';
import {
  groupDefinitionId,
  nullableObject,
  nullableString,
  nullableTimestamp,
  objectSchema,
  profileId,
  timestamp,
} from './common';

const nullablePeriodType = { enum: [...PERIOD_TYPES, null] };
const nullablePositiveInteger = { type: ['integer', 'null'], minimum: 1 };

export const groupDefinitionAttributeSchemas = {
  name: { type: 'string', minLength: 1, maxLength: 255 },
  handle: { type: 'string', minLength: 1, maxLength: 255 },
  type: { enum: [...GROUP_TYPES] },
  source_type: nullableString,
  source_id: nullableString,
  query: {},
  query_type: { enum: ['jsonlogic', null] },
  arguments: nullableObject,
  period: nullablePositiveInteger,
  period_type: nullablePeriodType,
  absolute_expiry: nullableTimestamp,
  refresh_period: nullablePositiveInteger,
  refresh_period_type: nullablePeriodType,
  refresh_absolute_expiry: nullableTimestamp,
  short_description: nullableString,
  description: nullableString,
  owner_profile_id: nullableString,
  meta: nullableObject,
} as const;

const flags = {
  type: 'object',
  properties: {
    is_published: { type: 'boolean' },
    is_active: { type: 'boolean' },
    is_archived: { type: 'boolean' },
  },
  required: ['is_published', 'is_active', 'is_archived'],
  additionalProperties: false,
};

export const groupDefinitionCreatedSchema = objectSchema('GroupDefinitionCreated', {
  group_definition_id: groupDefinitionId,
  definition: {
    type: 'object',
    properties: groupDefinitionAttributeSchemas,
    required: Object.keys(groupDefinitionAttributeSchemas),
    additionalProperties: false,
  },
  flags,
  created_at: timestamp,
});

export const favouriteGroupActivatedSchema = objectSchema('FavouriteGroupActivated', {
  group_definition_id: groupDefinitionId,
  favourite_definition_id: groupDefinitionId,
  owner_profile_id: profileId,
  definition: {
    type: 'object',
    properties: groupDefinitionAttributeSchemas,
    required: Object.keys(groupDefinitionAttributeSchemas),
    additionalProperties: false,
  },
  flags,
  activated_at: timestamp,
});

export const groupDefinitionUpdatedSchema = objectSchema('GroupDefinitionUpdated', {
  group_definition_id: groupDefinitionId,
  changes: {
    type: 'object',
    properties: groupDefinitionAttributeSchemas,
    additionalProperties: false,
    minProperties: 1,
  },
  updated_at: timestamp,
});

export function lifecycleSchema(title: string): Record<string, unknown> {
  return objectSchema(title, { group_definition_id: groupDefinitionId, updated_at: timestamp });
}

export const groupDefinitionDeletedSchema = objectSchema('GroupDefinitionDeleted', {
  group_definition_id: groupDefinitionId,
  handle: { type: 'string' },
  deleted_at: timestamp,
});
