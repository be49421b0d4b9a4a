import {
  type EffectiveRule,
  type GroupDefinitionAttributes,
  type GroupDefinitionEvent,
  type GroupDefinitionFlags,
  type GroupRuleAttributes,
} from '@profile-groups/contracts';

export interface GroupRuleState {
  readonly id: number;
  readonly attributes: GroupRuleAttributes;
  /** 1 when added; every RuleChanged moves it on. */
  readonly version: number;
  readonly effective: EffectiveRule;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface GroupDefinitionState {
  readonly id: number;
  /** Stream version of the last event folded in. */
  readonly version: number;
  readonly attributes: GroupDefinitionAttributes;
  readonly flags: GroupDefinitionFlags;
  /** Current rules (removed ones are dropped), in sort order. */
  readonly rules: readonly GroupRuleState[];
  readonly created_at: string;
  readonly updated_at: string;
  readonly deleted: boolean;
}

/** Folds one event into the state; a pure function used by deciders and projections alike. */
export function evolveGroupDefinition(
  state: GroupDefinitionState | null,
  event: GroupDefinitionEvent,
): GroupDefinitionState | null {
  const next = apply(state, event);

  return next === null ? null : { ...next, version: (state?.version ?? 0) + 1 };
}

function apply(
  state: GroupDefinitionState | null,
  event: GroupDefinitionEvent,
): GroupDefinitionState | null {
  if (event.type === 'GroupDefinitionCreated') {
    return {
      id: event.data.group_definition_id,
      version: 0,
      attributes: event.data.definition,
      flags: event.data.flags,
      rules: [],
      created_at: event.data.created_at,
      updated_at: event.data.created_at,
      deleted: false,
    };
  }
  if (event.type === 'FavouriteGroupActivated') {
    return {
      id: event.data.group_definition_id,
      version: 0,
      attributes: event.data.definition,
      flags: event.data.flags,
      rules: [],
      created_at: event.data.activated_at,
      updated_at: event.data.activated_at,
      deleted: false,
    };
  }
  if (state === null) {
    return null;
  }
  switch (event.type) {
    case 'GroupDefinitionUpdated':
      return {
        ...state,
        attributes: { ...state.attributes, ...event.data.changes },
        updated_at: event.data.updated_at,
      };
    case 'GroupDefinitionPublished':
    case 'GroupDefinitionUnpublished':
    case 'GroupDefinitionActivated':
    case 'GroupDefinitionDeactivated':
    case 'GroupDefinitionArchived':
    case 'GroupDefinitionUnarchived':
      return {
        ...state,
        flags: { ...state.flags, ...LIFECYCLE_EFFECT[event.type] },
        updated_at: event.data.updated_at,
      };
    case 'GroupDefinitionDeleted':
      return { ...state, deleted: true, updated_at: event.data.deleted_at };
    case 'GroupRuleAdded': {
      const { rule_id, rule, rule_version, effective, added_at } = event.data;
      const added: GroupRuleState = {
        id: rule_id,
        attributes: rule,
        version: rule_version,
        effective,
        created_at: added_at,
        updated_at: added_at,
      };

      return { ...state, rules: sortRules([...state.rules, added]) };
    }
    case 'RuleChanged': {
      const { rule_id, rule_version, changes, effective, changed_at } = event.data;
      const rules = state.rules.map((rule) =>
        rule.id === rule_id
          ? {
              ...rule,
              attributes: { ...rule.attributes, ...changes },
              version: rule_version,
              effective,
              updated_at: changed_at,
            }
          : rule,
      );

      return { ...state, rules: sortRules(rules) };
    }
    case 'GroupRuleRemoved':
      return { ...state, rules: state.rules.filter((rule) => rule.id !== event.data.rule_id) };
    default: {
      const unreachable: never = event;
      throw new Error(`Unhandled event ${(unreachable as { type: string }).type}`);
    }
  }
}

export const LIFECYCLE_EFFECT = {
  GroupDefinitionPublished: { is_published: true },
  GroupDefinitionUnpublished: { is_published: false },
  GroupDefinitionActivated: { is_active: true },
  GroupDefinitionDeactivated: { is_active: false },
  GroupDefinitionArchived: { is_archived: true },
  GroupDefinitionUnarchived: { is_archived: false },
} as const satisfies Record<string, Partial<GroupDefinitionFlags>>;

/** Rules in evaluation and display order: sort_order, then id. */
function sortRules(rules: GroupRuleState[]): GroupRuleState[] {
  return rules.sort((a, b) => a.attributes.sort_order - b.attributes.sort_order || a.id - b.id);
}
