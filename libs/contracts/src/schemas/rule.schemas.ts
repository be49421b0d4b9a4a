import { ARGUMENT_TYPES } from '../events/rule-definition.events';
import { EVALUATION_TRIGGERS } from '../events/evaluation.events';
import { RULE_CHANGE_CAUSES, RULE_TYPES } from '../events/group-rule.events';
import {
  closedObject,
  groupDefinitionId,
  nullableObject,
  nullableString,
  objectSchema,
  timestamp,
} from './common';

const id = { type: 'integer', minimum: 1 } as const;
const nullableId = { type: ['integer', 'null'], minimum: 1 } as const;
const version = { type: 'integer', minimum: 1 } as const;
/** A JSONLogic rule: any JSON value; rules are validated when saved, not here. */
const anyJson = {} as const;

const argumentDeclaration = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    type: { enum: [...ARGUMENT_TYPES] },
    required: { type: 'boolean' },
    default: anyJson,
    description: { type: 'string' },
  },
  required: ['name', 'type', 'required'],
  additionalProperties: false,
};

const ruleDefinitionAttributeSchemas = {
  handle: { type: 'string', minLength: 1, maxLength: 255 },
  name: { type: 'string', minLength: 1, maxLength: 255 },
  description: nullableString,
  evaluator: { const: 'jsonlogic' },
  rule: anyJson,
  arguments: { type: 'array', items: argumentDeclaration },
  meta: nullableObject,
} as const;

export const ruleDefinitionCreatedSchema = objectSchema('RuleDefinitionCreated', {
  rule_definition_id: id,
  definition: {
    type: 'object',
    properties: ruleDefinitionAttributeSchemas,
    required: Object.keys(ruleDefinitionAttributeSchemas),
    additionalProperties: false,
  },
  created_at: timestamp,
});

export const ruleDefinitionUpdatedSchema = objectSchema('RuleDefinitionUpdated', {
  rule_definition_id: id,
  changes: {
    type: 'object',
    properties: ruleDefinitionAttributeSchemas,
    additionalProperties: false,
    minProperties: 1,
  },
  updated_at: timestamp,
});

export const ruleDefinitionDeletedSchema = objectSchema('RuleDefinitionDeleted', {
  rule_definition_id: id,
  handle: { type: 'string' },
  deleted_at: timestamp,
});

const groupRuleAttributeSchemas = {
  group_rule_definition_id: nullableId,
  rule: anyJson,
  type: { enum: [...RULE_TYPES] },
  name: nullableString,
  arguments: {
    type: 'array',
    items: {
      type: 'object',
      properties: { name: { type: 'string', minLength: 1 }, value: anyJson },
      required: ['name', 'value'],
      additionalProperties: false,
    },
  },
  sort_order: { type: 'integer' },
  is_active: { type: 'boolean' },
  meta: nullableObject,
} as const;

const effectiveRule = {
  type: 'object',
  properties: {
    handle: nullableString,
    evaluator: { const: 'jsonlogic' },
    rule: anyJson,
    name: nullableString,
    arguments: { type: 'object' },
    rule_definition_version: { type: ['integer', 'null'], minimum: 1 },
  },
  required: ['handle', 'evaluator', 'rule', 'name', 'arguments', 'rule_definition_version'],
  additionalProperties: false,
};

export const groupRuleAddedSchema = objectSchema('GroupRuleAdded', {
  group_definition_id: groupDefinitionId,
  rule_id: id,
  rule: {
    type: 'object',
    properties: groupRuleAttributeSchemas,
    required: Object.keys(groupRuleAttributeSchemas),
    additionalProperties: false,
  },
  rule_version: version,
  effective: effectiveRule,
  added_at: timestamp,
});

export const ruleChangedSchema = objectSchema('RuleChanged', {
  group_definition_id: groupDefinitionId,
  rule_id: id,
  rule_version: version,
  cause: { enum: [...RULE_CHANGE_CAUSES] },
  changes: { type: 'object', properties: groupRuleAttributeSchemas, additionalProperties: false },
  effective: effectiveRule,
  changed_at: timestamp,
});

export const groupRuleRemovedSchema = objectSchema('GroupRuleRemoved', {
  group_definition_id: groupDefinitionId,
  rule_id: id,
  rule_version: version,
  removed_at: timestamp,
});

const trigger = { enum: [...EVALUATION_TRIGGERS] };
const snapshotId = { type: 'string', minLength: 1, maxLength: 64 };
const count = { type: 'integer', minimum: 0 };

export const refreshRequestedSchema = objectSchema('RefreshRequested', {
  group_definition_id: groupDefinitionId,
  requested_at: timestamp,
});

export const refreshScheduledSchema = objectSchema('RefreshScheduled', {
  group_definition_id: groupDefinitionId,
  next_refresh_at: { type: ['string', 'null'], format: 'date-time' },
});

export const refreshStartedSchema = objectSchema('RefreshStarted', {
  group_definition_id: groupDefinitionId,
  snapshot_id: snapshotId,
  trigger,
  started_at: timestamp,
});

export const refreshFailedSchema = objectSchema('RefreshFailed', {
  group_definition_id: groupDefinitionId,
  snapshot_id: snapshotId,
  trigger,
  error: { type: 'string' },
  failed_at: timestamp,
});

export const snapshotTakenSchema = objectSchema('SnapshotTaken', {
  group_definition_id: groupDefinitionId,
  snapshot_id: snapshotId,
  trigger,
  started_at: timestamp,
  finished_at: timestamp,
  definition_version: version,
  rule_versions: {
    type: 'array',
    items: closedObject({
      rule_id: id,
      rule_version: version,
      rule_definition_id: nullableId,
      rule_definition_version: { type: ['integer', 'null'], minimum: 1 },
    }),
  },
  counts: closedObject({
    evaluated: count,
    included: count,
    added: count,
    removed: count,
  }),
  profile_versions_digest: { type: 'string' },
  next_refresh_at: { type: ['string', 'null'], format: 'date-time' },
});
