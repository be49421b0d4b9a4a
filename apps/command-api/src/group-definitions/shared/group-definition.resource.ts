import {
  type GroupDefinitionAttributes,
  type GroupDefinitionFlags,
  type RefreshStatus,
} from '@profile-groups/contracts';
import { type GroupDefinitionState } from '@profile-groups/domain';
import { type DefinitionWithRefresh } from '@profile-groups/read-models';

import { type GroupRuleResource, ruleFromState, ruleFromView } from './group-rule.resource';

/** A GroupDefinition as the API shows it (API.md), plus its stream `version`. */
export interface GroupDefinitionResource extends GroupDefinitionAttributes, GroupDefinitionFlags {
  readonly id: number;
  readonly last_refreshed_at: string | null;
  readonly next_refresh_at: string | null;
  readonly refresh_status: RefreshStatus;
  readonly refresh_error: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly current_member_count: number;
  readonly rules: GroupRuleResource[];
  readonly version: number;
}

/**
 * The state a write just produced, from the event store, rules included. Only what
 * the write side does not know (member count, refresh progress) comes from the read
 * model, which may lag behind.
 */
export function resourceFromState(
  state: GroupDefinitionState,
  version: number,
  view: DefinitionWithRefresh | null,
): GroupDefinitionResource {
  return present({
    id: state.id,
    ...state.attributes,
    ...state.flags,
    created_at: state.created_at,
    updated_at: state.updated_at,
    last_refreshed_at: view?.last_refreshed_at ?? null,
    next_refresh_at: view?.next_refresh_at ?? null,
    refresh_status: view?.refresh_status ?? 'idle',
    refresh_error: view?.refresh_error ?? null,
    current_member_count: view?.current_member_count ?? 0,
    rules: state.rules.map((rule) => ruleFromState(state.id, rule)),
    version,
  });
}

export function resourceFromView(view: DefinitionWithRefresh): GroupDefinitionResource {
  return present({ ...view, rules: view.rules.map(ruleFromView) });
}

/** Puts the fields in API.md's order, whatever the order (and extra fields) of the source. */
function present(fields: GroupDefinitionResource): GroupDefinitionResource {
  return {
    id: fields.id,
    name: fields.name,
    handle: fields.handle,
    type: fields.type,
    source_type: fields.source_type,
    source_id: fields.source_id,
    query: fields.query,
    query_type: fields.query_type,
    arguments: fields.arguments,
    period: fields.period,
    period_type: fields.period_type,
    absolute_expiry: fields.absolute_expiry,
    refresh_period: fields.refresh_period,
    refresh_period_type: fields.refresh_period_type,
    refresh_absolute_expiry: fields.refresh_absolute_expiry,
    last_refreshed_at: fields.last_refreshed_at,
    next_refresh_at: fields.next_refresh_at,
    refresh_status: fields.refresh_status,
    refresh_error: fields.refresh_error,
    short_description: fields.short_description,
    description: fields.description,
    owner_profile_id: fields.owner_profile_id,
    meta: fields.meta,
    is_published: fields.is_published,
    is_active: fields.is_active,
    is_archived: fields.is_archived,
    created_at: fields.created_at,
    updated_at: fields.updated_at,
    current_member_count: fields.current_member_count,
    rules: fields.rules,
    version: fields.version,
  };
}
