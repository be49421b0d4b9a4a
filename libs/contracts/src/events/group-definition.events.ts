import { type NewEvent } from '../envelope';
import { type GroupRuleEvent } from './group-rule.events';

export const GROUP_TYPES = ['static', 'dynamic', 'favourite'] as const;
export type GroupType = (typeof GROUP_TYPES)[number];

export const PERIOD_TYPES = ['minutes', 'hours', 'days', 'weeks', 'months', 'years'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

export const REFRESH_STATUSES = ['idle', 'queued', 'running', 'failed'] as const;
export type RefreshStatus = (typeof REFRESH_STATUSES)[number];

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

export type JsonObject = { [key: string]: JsonValue };

/** The fields an operator sets on a group definition (API.md, GroupDefinition). */
export interface GroupDefinitionAttributes {
  name: string;
  handle: string;
  type: GroupType;
  source_type: string | null;
  source_id: string | null;
  query: JsonValue;
  query_type: 'jsonlogic' | null;
  arguments: JsonObject | null;
  period: number | null;
  period_type: PeriodType | null;
  absolute_expiry: string | null;
  refresh_period: number | null;
  refresh_period_type: PeriodType | null;
  refresh_absolute_expiry: string | null;
  short_description: string | null;
  description: string | null;
  owner_profile_id: string | null;
  meta: JsonObject | null;
}

/** Lifecycle flags; each change of one is its own event. */
export interface GroupDefinitionFlags {
  is_published: boolean;
  is_active: boolean;
  is_archived: boolean;
}

export type GroupDefinitionCreated = NewEvent<
  'GroupDefinitionCreated',
  {
    group_definition_id: number;
    definition: GroupDefinitionAttributes;
    flags: GroupDefinitionFlags;
    created_at: string;
  }
>;

/**
 * A profile activated a favourite definition and got its own instance: a group
 * definition owned by that profile (`owner_profile_id`), type `favourite`, whose
 * `source_type` is the connection type and `source_id` the favourite definition's id.
 * Its members are the owner's accepted connections of that type, plus manual additions,
 * minus manual removals. Later events of the instance are the usual definition events.
 */
export type FavouriteGroupActivated = NewEvent<
  'FavouriteGroupActivated',
  {
    group_definition_id: number;
    favourite_definition_id: number;
    owner_profile_id: string;
    definition: GroupDefinitionAttributes;
    flags: GroupDefinitionFlags;
    activated_at: string;
  }
>;

/** Carries only the attributes that changed; lifecycle flags have events of their own. */
export type GroupDefinitionUpdated = NewEvent<
  'GroupDefinitionUpdated',
  {
    group_definition_id: number;
    changes: Partial<GroupDefinitionAttributes>;
    updated_at: string;
  }
>;

type LifecycleEvent<TType extends string> = NewEvent<
  TType,
  { group_definition_id: number; updated_at: string }
>;

export type GroupDefinitionPublished = LifecycleEvent<'GroupDefinitionPublished'>;
export type GroupDefinitionUnpublished = LifecycleEvent<'GroupDefinitionUnpublished'>;
export type GroupDefinitionActivated = LifecycleEvent<'GroupDefinitionActivated'>;
export type GroupDefinitionDeactivated = LifecycleEvent<'GroupDefinitionDeactivated'>;
export type GroupDefinitionArchived = LifecycleEvent<'GroupDefinitionArchived'>;
export type GroupDefinitionUnarchived = LifecycleEvent<'GroupDefinitionUnarchived'>;

export type GroupDefinitionDeleted = NewEvent<
  'GroupDefinitionDeleted',
  { group_definition_id: number; handle: string; deleted_at: string }
>;

/** Every event of a group definition's stream, its rules' included. */
export type GroupDefinitionEvent =
  | GroupDefinitionCreated
  | FavouriteGroupActivated
  | GroupDefinitionUpdated
  | GroupDefinitionPublished
  | GroupDefinitionUnpublished
  | GroupDefinitionActivated
  | GroupDefinitionDeactivated
  | GroupDefinitionArchived
  | GroupDefinitionUnarchived
  | GroupDefinitionDeleted
  | GroupRuleEvent;
