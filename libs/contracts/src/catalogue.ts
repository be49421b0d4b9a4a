import { type GroupDefinitionEvent } from './events/group-definition.events';
import { type MembershipEvent } from './events/membership.events';
import {
  groupDefinitionCreatedSchema,
  groupDefinitionDeletedSchema,
  groupDefinitionUpdatedSchema,
  lifecycleSchema,
} from './schemas/group-definition.schemas';
import { memberAddedSchema, memberRemovedSchema } from './schemas/membership.schemas';
import { type TopicKey } from './topics';

export type DomainEvent = GroupDefinitionEvent | MembershipEvent;
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
    'A membership ended, with the reason: manual, expired, rule, connection or group_deleted.',
  ),
};

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, type);
}
