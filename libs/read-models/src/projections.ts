import {
  type EnvelopeOf,
  type EvaluationEvent,
  type EvaluationTrigger,
  type GroupDefinitionEvent,
  type GroupRuleAdded,
  type MemberAdded,
  type MemberRemoved,
  type RefreshFailed,
  type RefreshStarted,
  type RuleDefinitionEvent,
  type SnapshotTaken,
} from '@profile-groups/contracts';
import { LIFECYCLE_EFFECT } from '@profile-groups/domain';

import {
  type DefinitionWithRefresh,
  type FIELDS_FROM_ADD,
  type GroupDefinitionView,
  type GroupRuleView,
  type MembershipView,
  type RefreshFields,
  type RefreshStateView,
  type RuleDefinitionView,
  type SnapshotView,
} from './views';

/*
 * Pure projections: (view, event) -> the view after the event, or null when the view
 * already reflects it (its recorded stream version is not older), which makes
 * redelivery and replay harmless.
 */

export function projectGroupDefinition(
  view: GroupDefinitionView | null,
  event: EnvelopeOf<GroupDefinitionEvent>,
): GroupDefinitionView | null {
  const next = projectDefinitionEvent(view, event);

  return next === null ? null : { ...next, is_owned: next.owner_profile_id !== null };
}

function projectDefinitionEvent(
  view: GroupDefinitionView | null,
  event: EnvelopeOf<GroupDefinitionEvent>,
): GroupDefinitionView | null {
  if (view !== null && view.version >= event.stream_version) return null;
  const version = event.stream_version;
  if (event.type === 'GroupDefinitionCreated' || event.type === 'FavouriteGroupActivated') {
    const { group_definition_id: id, definition, flags } = event.data;
    const created_at =
      event.type === 'GroupDefinitionCreated' ? event.data.created_at : event.data.activated_at;

    return {
      _id: id,
      id,
      ...definition,
      ...flags,
      version,
      created_at,
      updated_at: created_at,
      deleted_at: null,
      is_deleted: false,
      is_owned: definition.owner_profile_id !== null,
      current_member_count: view?.current_member_count ?? 0,
      rules: [],
      rule_definition_ids: [],
    };
  }
  if (view === null) return null;
  switch (event.type) {
    case 'GroupDefinitionUpdated':
      return { ...view, ...event.data.changes, version, updated_at: event.data.updated_at };
    case 'GroupDefinitionPublished':
    case 'GroupDefinitionUnpublished':
    case 'GroupDefinitionActivated':
    case 'GroupDefinitionDeactivated':
    case 'GroupDefinitionArchived':
    case 'GroupDefinitionUnarchived':
      return {
        ...view,
        ...LIFECYCLE_EFFECT[event.type],
        version,
        updated_at: event.data.updated_at,
      };
    case 'GroupDefinitionDeleted':
      return {
        ...view,
        version,
        deleted_at: event.data.deleted_at,
        is_deleted: true,
        updated_at: event.data.deleted_at,
      };
    // Rule events leave the group's own updated_at alone, as the write side's state does.
    case 'GroupRuleAdded': {
      const others = view.rules.filter((rule) => rule.id !== event.data.rule_id);

      return withRules(view, version, [...others, ruleFromAdded(event)]);
    }
    case 'RuleChanged': {
      const { rule_id, rule_version, changes, effective, changed_at } = event.data;
      const rules = view.rules.map(
        (rule): GroupRuleView =>
          rule.id === rule_id
            ? { ...rule, ...changes, effective, rule_version, updated_at: changed_at }
            : rule,
      );

      return withRules(view, version, rules);
    }
    case 'GroupRuleRemoved':
      return withRules(
        view,
        version,
        view.rules.filter((rule) => rule.id !== event.data.rule_id),
      );
    default: {
      const unreachable: never = event;
      throw new Error(`Unhandled event ${(unreachable as { type: string }).type}`);
    }
  }
}

function ruleFromAdded(event: EnvelopeOf<GroupRuleAdded>): GroupRuleView {
  const { group_definition_id, rule_id, rule, rule_version, effective, added_at } = event.data;

  return {
    id: rule_id,
    group_definition_id,
    group_rule_definition_id: rule.group_rule_definition_id,
    type: rule.type,
    name: rule.name,
    rule: rule.rule,
    arguments: rule.arguments,
    sort_order: rule.sort_order,
    is_active: rule.is_active,
    meta: rule.meta,
    effective,
    rule_version,
    created_at: added_at,
    updated_at: added_at,
  };
}

/** Rules in evaluation and display order (sort_order, then id), as the write side keeps them. */
function withRules(
  view: GroupDefinitionView,
  version: number,
  rules: GroupRuleView[],
): GroupDefinitionView {
  const sorted = rules.sort((a, b) => a.sort_order - b.sort_order || a.id - b.id);
  const templates = sorted
    .map((rule) => rule.group_rule_definition_id)
    .filter((id): id is number => id !== null);

  return {
    ...view,
    version,
    rules: sorted,
    rule_definition_ids: [...new Set(templates)].sort((a, b) => a - b),
  };
}

export function membershipFromAdded(event: EnvelopeOf<MemberAdded>): MembershipView {
  const data = event.data;

  return {
    _id: data.membership_id,
    id: data.membership_id,
    group_definition_id: data.group_definition_id,
    profile_id: data.profile_id,
    added_at: data.added_at,
    expires_at: data.expires_at,
    removed_at: null,
    removed_reason: null,
    removal_type: null,
    added_by_profile_id: data.added_by_profile_id,
    removed_by_profile_id: null,
    source_type: data.source_type,
    source_id: data.source_id,
    meta: data.meta,
    created_at: data.added_at,
    updated_at: data.added_at,
    is_current: true,
    stream_version: event.stream_version,
  };
}

/**
 * What a removal leaves when it is applied before its membership's add: the removal
 * itself, marked as waiting for the add to fill in the fields only the add knows.
 */
export function tombstoneFromRemoved(
  event: EnvelopeOf<MemberRemoved>,
): Omit<MembershipView, (typeof FIELDS_FROM_ADD)[number]> {
  const data = event.data;

  return {
    _id: data.membership_id,
    id: data.membership_id,
    group_definition_id: data.group_definition_id,
    profile_id: data.profile_id,
    ...removalChanges(event),
    awaiting_add: true,
  };
}

/** The fields a removal sets on its membership. */
export function removalChanges(event: EnvelopeOf<MemberRemoved>) {
  const data = event.data;

  return {
    removed_at: data.removed_at,
    removed_reason: data.removed_reason,
    removal_type: data.reason,
    removed_by_profile_id: data.removed_by_profile_id,
    updated_at: data.removed_at,
    is_current: false,
    stream_version: event.stream_version,
  } satisfies Partial<MembershipView>;
}

export function projectRuleDefinition(
  view: RuleDefinitionView | null,
  event: EnvelopeOf<RuleDefinitionEvent>,
): RuleDefinitionView | null {
  if (view !== null && view.version >= event.stream_version) return null;
  const version = event.stream_version;
  switch (event.type) {
    case 'RuleDefinitionCreated': {
      const { rule_definition_id: id, definition, created_at } = event.data;

      return {
        _id: id,
        id,
        ...definition,
        version,
        created_at,
        updated_at: created_at,
        deleted_at: null,
        is_deleted: false,
      };
    }
    case 'RuleDefinitionUpdated':
      return view === null
        ? null
        : { ...view, ...event.data.changes, version, updated_at: event.data.updated_at };
    case 'RuleDefinitionDeleted':
      return view === null
        ? null
        : {
            ...view,
            version,
            deleted_at: event.data.deleted_at,
            is_deleted: true,
            updated_at: event.data.deleted_at,
          };
    default: {
      const unreachable: never = event;
      throw new Error(`Unhandled event ${(unreachable as { type: string }).type}`);
    }
  }
}

/** Runs that evaluate only some profiles; they leave the group's refresh state alone. */
export const INCREMENTAL_TRIGGERS: readonly EvaluationTrigger[] = ['profile_change', 'time'];

const IDLE: RefreshFields = {
  refresh_status: 'idle',
  refresh_error: null,
  last_refreshed_at: null,
  next_refresh_at: null,
};

export function projectRefreshState(
  view: RefreshStateView | null,
  event: EnvelopeOf<EvaluationEvent>,
): RefreshStateView | null {
  if (view !== null && view.version >= event.stream_version) return null;
  const groupId = event.data.group_definition_id;
  const current: RefreshStateView = view ?? {
    _id: groupId,
    group_definition_id: groupId,
    ...IDLE,
    version: 0,
  };
  const next = { ...current, version: event.stream_version };
  switch (event.type) {
    case 'RefreshRequested':
      return { ...next, refresh_status: 'queued' };
    case 'RefreshScheduled':
      return { ...next, next_refresh_at: event.data.next_refresh_at };
    case 'RefreshStarted':
      return { ...next, refresh_status: 'running' };
    case 'RefreshFailed':
      return { ...next, refresh_status: 'failed', refresh_error: event.data.error };
    case 'SnapshotTaken':
      if (INCREMENTAL_TRIGGERS.includes(event.data.trigger)) return next;

      return {
        ...next,
        refresh_status: 'idle',
        refresh_error: null,
        last_refreshed_at: event.data.finished_at,
        next_refresh_at: event.data.next_refresh_at,
      };
    default: {
      const unreachable: never = event;
      throw new Error(`Unhandled event ${(unreachable as { type: string }).type}`);
    }
  }
}

/** A group's definition with its refresh state; idle until its first evaluation event. */
export function mergeRefreshState(
  definition: GroupDefinitionView,
  refresh: RefreshStateView | null,
): DefinitionWithRefresh {
  return {
    ...definition,
    refresh_status: refresh?.refresh_status ?? IDLE.refresh_status,
    refresh_error: refresh?.refresh_error ?? IDLE.refresh_error,
    last_refreshed_at: refresh?.last_refreshed_at ?? IDLE.last_refreshed_at,
    next_refresh_at: refresh?.next_refresh_at ?? IDLE.next_refresh_at,
  };
}

export type SnapshotEvent = RefreshStarted | RefreshFailed | SnapshotTaken;

export function isSnapshotEvent(
  event: EnvelopeOf<EvaluationEvent>,
): event is EnvelopeOf<SnapshotEvent> {
  return (
    event.type === 'RefreshStarted' ||
    event.type === 'RefreshFailed' ||
    event.type === 'SnapshotTaken'
  );
}

/**
 * One run, keyed by snapshot id. A full refresh opens it with RefreshStarted; an
 * incremental run has none, so SnapshotTaken (or RefreshFailed) may open it too.
 */
export function projectSnapshot(
  view: SnapshotView | null,
  event: EnvelopeOf<SnapshotEvent>,
): SnapshotView | null {
  if (view !== null && view.stream_version >= event.stream_version) return null;
  const { snapshot_id, group_definition_id, trigger } = event.data;
  const current: SnapshotView = view ?? {
    _id: snapshot_id,
    id: snapshot_id,
    group_definition_id,
    trigger,
    status: 'running',
    started_at: null,
    finished_at: null,
    error: null,
    counts: null,
    rule_versions: null,
    definition_version: null,
    profile_versions_digest: null,
    sequence: event.stream_version,
    stream_version: 0,
  };
  const next = { ...current, stream_version: event.stream_version };
  switch (event.type) {
    case 'RefreshStarted':
      return { ...next, status: 'running', started_at: event.data.started_at };
    case 'RefreshFailed':
      return {
        ...next,
        status: 'failed',
        error: event.data.error,
        finished_at: event.data.failed_at,
      };
    case 'SnapshotTaken': {
      const data = event.data;

      return {
        ...next,
        status: 'completed',
        started_at: data.started_at,
        finished_at: data.finished_at,
        error: null,
        counts: data.counts,
        rule_versions: data.rule_versions,
        definition_version: data.definition_version,
        profile_versions_digest: data.profile_versions_digest,
      };
    }
    default: {
      const unreachable: never = event;
      throw new Error(`Unhandled event ${(unreachable as { type: string }).type}`);
    }
  }
}
