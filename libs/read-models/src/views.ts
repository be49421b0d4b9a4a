import {
  type EffectiveRule,
  type EvaluationTrigger,
  type GroupDefinitionAttributes,
  type GroupDefinitionFlags,
  type JsonObject,
  type JsonValue,
  type RefreshStatus,
  type RemovalReason,
  type RuleArgumentValue,
  type RuleDefinitionAttributes,
  type RuleType,
  type RuleVersionUsed,
  type SnapshotCounts,
} from '@profile-groups/contracts';

import { type Encoded, jsonFieldCodec } from './json-fields';

/** A rule of a dynamic group as the API shows it (API.md GroupRule), embedded in its group. */
export interface GroupRuleView {
  id: number;
  group_definition_id: number;
  group_rule_definition_id: number | null;
  type: RuleType;
  name: string | null;
  /** The inline rule (ours); null for a rule built from a rule definition. */
  rule: JsonValue;
  arguments: RuleArgumentValue[];
  sort_order: number;
  is_active: boolean;
  meta: JsonObject | null;
  effective: EffectiveRule;
  rule_version: number;
  created_at: string;
  updated_at: string;
}

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
  /**
   * Equality-filterable twin of `owner_profile_id !== null` (FerretDB cannot push
   * `owner_profile_id: null` down): browsing leaves profiles' own groups out by it.
   */
  is_owned: boolean;
  current_member_count: number;
  /** Current rules in evaluation order (sort_order, then id). */
  rules: GroupRuleView[];
  /** The rule definitions those rules are built from; filterable, unlike `rules`. */
  rule_definition_ids: number[];
}

/** How a group's evaluation runs stand; from the group's evaluation stream. */
export interface RefreshFields {
  refresh_status: RefreshStatus;
  refresh_error: string | null;
  last_refreshed_at: string | null;
  next_refresh_at: string | null;
}

/**
 * The refresh state of one group. Its events come on another topic than the
 * definition's and may arrive first, so it is a view of its own with its own version.
 */
export interface RefreshStateView extends RefreshFields {
  _id: number;
  group_definition_id: number;
  /** Version of the group's evaluation stream last applied. */
  version: number;
}

/** What the queries answer for a group: its definition with its refresh state merged in. */
export type DefinitionWithRefresh = GroupDefinitionView & RefreshFields;

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
  /**
   * Set on a membership whose removal was applied before its add (a rebuild's catch-up
   * can deliver them so): it holds the removal, and the add fills in the rest.
   */
  awaiting_add?: true;
}

/** The fields only a membership's add knows; a removal applied first leaves them unset. */
export const FIELDS_FROM_ADD = [
  'added_at',
  'expires_at',
  'added_by_profile_id',
  'source_type',
  'source_id',
  'meta',
  'created_at',
] as const satisfies readonly (keyof MembershipView)[];

/** A rule definition (template) as the API shows it. */
export interface RuleDefinitionView extends RuleDefinitionAttributes {
  _id: number;
  id: number;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  is_deleted: boolean;
}

export const SNAPSHOT_STATUSES = ['running', 'completed', 'failed'] as const;
export type SnapshotStatus = (typeof SNAPSHOT_STATUSES)[number];

/** One evaluation run of a group; its per-profile results are in the SnapshotArchive. */
export interface SnapshotView {
  _id: string;
  id: string;
  group_definition_id: number;
  trigger: EvaluationTrigger;
  status: SnapshotStatus;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  /** Null until the run completes. */
  counts: SnapshotCounts | null;
  rule_versions: RuleVersionUsed[] | null;
  definition_version: number | null;
  profile_versions_digest: string | null;
  /** Evaluation stream version of the event that opened the run: orders runs in time. */
  sequence: number;
  /** Evaluation stream version last applied to this run. */
  stream_version: number;
}

export const DEFINITION_CODEC = jsonFieldCodec<
  GroupDefinitionView,
  'query' | 'arguments' | 'meta' | 'rules'
>(['query', 'arguments', 'meta', 'rules']);
export type StoredDefinition = Encoded<
  GroupDefinitionView,
  'query' | 'arguments' | 'meta' | 'rules'
>;

export const MEMBERSHIP_CODEC = jsonFieldCodec<MembershipView, 'meta'>(['meta']);
export type StoredMembership = Encoded<MembershipView, 'meta'>;

export const RULE_DEFINITION_CODEC = jsonFieldCodec<
  RuleDefinitionView,
  'rule' | 'arguments' | 'meta'
>(['rule', 'arguments', 'meta']);
export type StoredRuleDefinition = Encoded<RuleDefinitionView, 'rule' | 'arguments' | 'meta'>;

export interface ReadModelCollections {
  readonly definitions: string;
  readonly memberships: string;
  readonly ruleDefinitions: string;
  readonly refreshStates: string;
  readonly snapshots: string;
}

export type ReadModelName = keyof ReadModelCollections;

export const READ_MODEL_NAMES: readonly ReadModelName[] = [
  'definitions',
  'memberships',
  'ruleDefinitions',
  'refreshStates',
  'snapshots',
];

export const LIVE_COLLECTIONS: ReadModelCollections = {
  definitions: 'rm_group_definitions',
  memberships: 'rm_group_memberships',
  ruleDefinitions: 'rm_rule_definitions',
  refreshStates: 'rm_group_refresh_states',
  snapshots: 'rm_snapshots',
};

export function collectionsWithSuffix(suffix: string): ReadModelCollections {
  const entries = READ_MODEL_NAMES.map((name) => [name, `${LIVE_COLLECTIONS[name]}${suffix}`]);

  return Object.fromEntries(entries) as Record<ReadModelName, string>;
}
