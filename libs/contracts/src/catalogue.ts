import { type ConnectionEvent } from './events/connection.events';
import { type EvaluationEvent } from './events/evaluation.events';
import { type GroupDefinitionEvent } from './events/group-definition.events';
import { type MembershipEvent } from './events/membership.events';
import { type ProfileEvent } from './events/profile.events';
import { type RuleDefinitionEvent } from './events/rule-definition.events';
import { connectionRemovedSchema, connectionUpsertedSchema } from './schemas/connection.schemas';
import {
  favouriteGroupActivatedSchema,
  groupDefinitionCreatedSchema,
  groupDefinitionDeletedSchema,
  groupDefinitionUpdatedSchema,
  lifecycleSchema,
} from './schemas/group-definition.schemas';
import { memberAddedSchema, memberRemovedSchema } from './schemas/membership.schemas';
import { profileDeletedSchema, profileUpsertedSchema } from './schemas/profile.schemas';
import {
  groupRuleAddedSchema,
  groupRuleRemovedSchema,
  refreshFailedSchema,
  refreshRequestedSchema,
  refreshScheduledSchema,
  refreshStartedSchema,
  ruleChangedSchema,
  ruleDefinitionCreatedSchema,
  ruleDefinitionDeletedSchema,
  ruleDefinitionUpdatedSchema,
  snapshotTakenSchema,
} from './schemas/rule.schemas';
import { type TopicKey } from './topics';

export type DomainEvent =
  | GroupDefinitionEvent
  | RuleDefinitionEvent
  | EvaluationEvent
  | MembershipEvent
  | ProfileEvent
  | ConnectionEvent;
export type EventType = DomainEvent['type'];
export type EventOfType<T extends EventType> = Extract<DomainEvent, { type: T }>;
export type EventData<T extends EventType> = EventOfType<T>['data'];

export interface EventTypeSpec {
  readonly type: EventType;
  readonly schemaVersion: number;
  /** Which topic carries the event; the Kafka key is always the event's stream. */
  readonly topic: TopicKey;
  readonly schema: Record<string, unknown>;
  readonly description: string;
}

function spec(
  type: EventType,
  topic: TopicKey,
  schema: Record<string, unknown>,
  description: string,
): EventTypeSpec {
  return {
    type,
    schemaVersion: 1,
    topic,
    schema: { $id: schemaId(type, 1), ...schema },
    description,
  };
}

export function schemaId(type: string, version: number): string {
  return `urn:profile-groups:events:${type}:v${version}`;
}

/** Every event type the system emits. Adding a type without a schema fails to compile. */
export const EVENT_CATALOGUE: Readonly<Record<EventType, EventTypeSpec>> = {
  GroupDefinitionCreated: spec(
    'GroupDefinitionCreated',
    'groupDefinitions',
    groupDefinitionCreatedSchema,
    'A group definition was created with its attributes and lifecycle flags.',
  ),
  FavouriteGroupActivated: spec(
    'FavouriteGroupActivated',
    'groupDefinitions',
    favouriteGroupActivatedSchema,
    'A profile activated a favourite definition: its own instance, a group owned by the profile whose members follow its connections of one type.',
  ),
  GroupDefinitionUpdated: spec(
    'GroupDefinitionUpdated',
    'groupDefinitions',
    groupDefinitionUpdatedSchema,
    'Attributes of a group definition changed; only the changed attributes are listed.',
  ),
  GroupDefinitionPublished: spec(
    'GroupDefinitionPublished',
    'groupDefinitions',
    lifecycleSchema('GroupDefinitionPublished'),
    'is_published became true.',
  ),
  GroupDefinitionUnpublished: spec(
    'GroupDefinitionUnpublished',
    'groupDefinitions',
    lifecycleSchema('GroupDefinitionUnpublished'),
    'is_published became false.',
  ),
  GroupDefinitionActivated: spec(
    'GroupDefinitionActivated',
    'groupDefinitions',
    lifecycleSchema('GroupDefinitionActivated'),
    'is_active became true.',
  ),
  GroupDefinitionDeactivated: spec(
    'GroupDefinitionDeactivated',
    'groupDefinitions',
    lifecycleSchema('GroupDefinitionDeactivated'),
    'is_active became false.',
  ),
  GroupDefinitionArchived: spec(
    'GroupDefinitionArchived',
    'groupDefinitions',
    lifecycleSchema('GroupDefinitionArchived'),
    'is_archived became true.',
  ),
  GroupDefinitionUnarchived: spec(
    'GroupDefinitionUnarchived',
    'groupDefinitions',
    lifecycleSchema('GroupDefinitionUnarchived'),
    'is_archived became false.',
  ),
  GroupDefinitionDeleted: spec(
    'GroupDefinitionDeleted',
    'groupDefinitions',
    groupDefinitionDeletedSchema,
    'A group definition was deleted; its history is kept and its handle released.',
  ),
  GroupRuleAdded: spec(
    'GroupRuleAdded',
    'groupDefinitions',
    groupRuleAddedSchema,
    'A rule was added to a dynamic group, with its resolved (effective) rule.',
  ),
  RuleChanged: spec(
    'RuleChanged',
    'groupDefinitions',
    ruleChangedSchema,
    'A group rule changed (edited, new default arguments, or its rule definition changed); carries the new rule version and effective rule.',
  ),
  GroupRuleRemoved: spec(
    'GroupRuleRemoved',
    'groupDefinitions',
    groupRuleRemovedSchema,
    'A rule was removed from a dynamic group.',
  ),
  RuleDefinitionCreated: spec(
    'RuleDefinitionCreated',
    'ruleDefinitions',
    ruleDefinitionCreatedSchema,
    'A rule definition (a JSONLogic template with declared arguments) was created.',
  ),
  RuleDefinitionUpdated: spec(
    'RuleDefinitionUpdated',
    'ruleDefinitions',
    ruleDefinitionUpdatedSchema,
    'A rule definition changed; only the changed fields are listed. Group rules built from it are re-resolved.',
  ),
  RuleDefinitionDeleted: spec(
    'RuleDefinitionDeleted',
    'ruleDefinitions',
    ruleDefinitionDeletedSchema,
    'A rule definition no group rule uses was deleted; its handle is released.',
  ),
  RefreshRequested: spec(
    'RefreshRequested',
    'evaluations',
    refreshRequestedSchema,
    'An operator asked for a dynamic group to be evaluated now.',
  ),
  RefreshScheduled: spec(
    'RefreshScheduled',
    'evaluations',
    refreshScheduledSchema,
    'The worker planned the next scheduled refresh of a dynamic group (null: none).',
  ),
  RefreshStarted: spec(
    'RefreshStarted',
    'evaluations',
    refreshStartedSchema,
    'A full evaluation of a dynamic group started.',
  ),
  RefreshFailed: spec(
    'RefreshFailed',
    'evaluations',
    refreshFailedSchema,
    'A full evaluation of a dynamic group failed; its membership changes so far stand.',
  ),
  SnapshotTaken: spec(
    'SnapshotTaken',
    'evaluations',
    snapshotTakenSchema,
    'An evaluation run finished: counts, the rule versions and a digest of the profile versions it used.',
  ),
  MemberAdded: spec(
    'MemberAdded',
    'memberships',
    memberAddedSchema,
    'A profile became a member of a group. Per (group, profile) added and removed alternate.',
  ),
  MemberRemoved: spec(
    'MemberRemoved',
    'memberships',
    memberRemovedSchema,
    'A membership ended, with the reason: manual, expired, rule, connection, group_deleted or profile_deleted.',
  ),
  ProfileUpserted: spec(
    'ProfileUpserted',
    'profiles',
    profileUpsertedSchema,
    'Input: a profile was created or changed; attributes is the data rules see.',
  ),
  ProfileDeleted: spec(
    'ProfileDeleted',
    'profiles',
    profileDeletedSchema,
    'Input: a profile was deleted; it leaves every group.',
  ),
  ConnectionUpserted: spec(
    'ConnectionUpserted',
    'connections',
    connectionUpsertedSchema,
    'Input: a connection from one profile to another was created or changed (type, status); only accepted connections count.',
  ),
  ConnectionRemoved: spec(
    'ConnectionRemoved',
    'connections',
    connectionRemovedSchema,
    'Input: a connection from one profile to another was removed.',
  ),
};

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, type);
}
