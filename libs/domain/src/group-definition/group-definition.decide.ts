import {
  type GroupDefinitionAttributes,
  type GroupDefinitionEvent,
  type GroupDefinitionFlags,
} from '@profile-groups/contracts';
import { nonFiniteNumberIssues } from '@profile-groups/rules';

import { decideGroupRule, type GroupRuleCommand, reresolve } from '../group-rule/group-rule.decide';
import { type RuleDefinitionState } from '../rule-definition/rule-definition.state';
import { deepEqual } from '../shared/deep-equal';
import { DomainError, type FieldErrors } from '../shared/domain-error';
import {
  type FieldIssues,
  hasIssues,
  mergeIssues,
  ruleFieldIssues,
  validateStoredRule,
} from '../shared/rule-issues';
import {
  type ActivateFavouriteGroup,
  activateFavouriteGroup,
  instanceOwner,
} from './favourite-group';
import { type GroupDefinitionState } from './group-definition.state';

export interface CreateGroupDefinition {
  readonly kind: 'CreateGroupDefinition';
  readonly id: number;
  readonly attributes: GroupDefinitionAttributes;
  readonly flags: GroupDefinitionFlags;
  readonly now: Date;
}

export interface UpdateGroupDefinition {
  readonly kind: 'UpdateGroupDefinition';
  readonly changes: Partial<GroupDefinitionAttributes>;
  readonly flags: Partial<GroupDefinitionFlags>;
  /** The rule definitions the group's rules use: new default arguments re-resolve them. */
  readonly templates?: ReadonlyMap<number, RuleDefinitionState>;
  readonly now: Date;
}

export interface DeleteGroupDefinition {
  readonly kind: 'DeleteGroupDefinition';
  readonly now: Date;
}

export type GroupDefinitionCommand =
  | CreateGroupDefinition
  | ActivateFavouriteGroup
  | UpdateGroupDefinition
  | DeleteGroupDefinition
  | GroupRuleCommand;

type AttributeName = keyof GroupDefinitionAttributes;

const IMMUTABLE: readonly AttributeName[] = ['type'];
/** A favourite definition gets no owner, nor an instance another one, after the fact. */
const IMMUTABLE_FOR_FAVOURITES: readonly AttributeName[] = [...IMMUTABLE, 'owner_profile_id'];
/** An instance's members follow these; its handle says whose instance of what it is. */
const IMMUTABLE_FOR_INSTANCES: readonly AttributeName[] = [
  ...IMMUTABLE_FOR_FAVOURITES,
  'handle',
  'source_type',
  'source_id',
];

const FLAG_EVENTS = {
  is_published: ['GroupDefinitionPublished', 'GroupDefinitionUnpublished'],
  is_active: ['GroupDefinitionActivated', 'GroupDefinitionDeactivated'],
  is_archived: ['GroupDefinitionArchived', 'GroupDefinitionUnarchived'],
} as const;

/** Pure decision: (state, command) -> events, or a DomainError. */
export function decideGroupDefinition(
  state: GroupDefinitionState | null,
  command: GroupDefinitionCommand,
): GroupDefinitionEvent[] {
  switch (command.kind) {
    case 'CreateGroupDefinition':
      return create(state, command);
    case 'ActivateFavouriteGroup':
      return activateFavouriteGroup(state, command);
    case 'UpdateGroupDefinition':
      return update(requireLive(state), command);
    case 'DeleteGroupDefinition': {
      const live = requireLive(state);

      return [
        {
          type: 'GroupDefinitionDeleted',
          data: {
            group_definition_id: live.id,
            handle: live.attributes.handle,
            deleted_at: command.now.toISOString(),
          },
        },
      ];
    }
    case 'AddGroupRule':
    case 'ChangeGroupRule':
    case 'RemoveGroupRule':
    case 'ReresolveGroupRules':
      return decideGroupRule(requireLive(state), command);
    default: {
      const unreachable: never = command;
      throw new Error(`Unknown command ${(unreachable as { kind: string }).kind}`);
    }
  }
}

function create(
  state: GroupDefinitionState | null,
  command: CreateGroupDefinition,
): GroupDefinitionEvent[] {
  if (state !== null) {
    throw DomainError.validation({ id: [`Group definition ${command.id} already exists.`] });
  }
  throwIfInvalid(command.attributes);
  refuseFavouriteQuery(command.attributes.type, command.attributes.query);
  if (command.attributes.type === 'favourite' && command.attributes.owner_profile_id !== null) {
    throw DomainError.validation({
      owner_profile_id: [
        'A favourite group gets its owner when a profile activates the favourite definition.',
      ],
    });
  }

  return [
    {
      type: 'GroupDefinitionCreated',
      data: {
        group_definition_id: command.id,
        definition: command.attributes,
        flags: command.flags,
        created_at: command.now.toISOString(),
      },
    },
  ];
}

function update(
  state: GroupDefinitionState,
  command: UpdateGroupDefinition,
): GroupDefinitionEvent[] {
  const changes: Partial<Record<AttributeName, unknown>> = {};
  const immutableErrors: FieldErrors = {};
  const immutable = immutableAttributes(state);
  for (const [key, value] of Object.entries(command.changes) as [AttributeName, unknown][]) {
    // An attribute given as undefined was not given: partial edits keep its value.
    if (value === undefined || deepEqual(state.attributes[key], value)) continue;
    if (immutable.includes(key)) {
      immutableErrors[key] = [`The ${key} of a group definition cannot change.`];
      continue;
    }
    changes[key] = value;
  }
  if (Object.keys(immutableErrors).length > 0) {
    const first = Object.values(immutableErrors)[0]?.[0] ?? 'Immutable field.';
    throw new DomainError('immutable_field', first, immutableErrors);
  }
  throwIfInvalid({ ...state.attributes, ...(changes as Partial<GroupDefinitionAttributes>) });
  // Only a query being set is refused: a definition stored with one before stays editable.
  if (changes.query !== undefined) refuseFavouriteQuery(state.attributes.type, changes.query);

  const updatedAt = command.now.toISOString();
  const events: GroupDefinitionEvent[] = [];
  if (Object.keys(changes).length > 0) {
    events.push({
      type: 'GroupDefinitionUpdated',
      data: {
        group_definition_id: state.id,
        changes: changes as Partial<GroupDefinitionAttributes>,
        updated_at: updatedAt,
      },
    });
  }
  if (changes.arguments !== undefined && state.rules.length > 0) {
    const { events: ruleEvents, unresolved } = reresolve(
      state,
      changes.arguments as GroupDefinitionAttributes['arguments'],
      null,
      'arguments_changed',
      command.now,
      command.templates,
    );
    if (unresolved.size > 0) {
      const detail = [...unresolved].map(([id, messages]) => `rule ${id}: ${messages.join(' ')}`);
      throw DomainError.validation({ arguments: detail });
    }
    events.push(...ruleEvents);
  }
  for (const flag of Object.keys(FLAG_EVENTS) as (keyof GroupDefinitionFlags)[]) {
    const wanted = command.flags[flag];
    if (wanted === undefined || wanted === state.flags[flag]) continue;
    const [whenTrue, whenFalse] = FLAG_EVENTS[flag];
    events.push({
      type: wanted ? whenTrue : whenFalse,
      data: { group_definition_id: state.id, updated_at: updatedAt },
    });
  }

  return events;
}

function immutableAttributes(state: GroupDefinitionState): readonly AttributeName[] {
  if (instanceOwner(state) !== null) return IMMUTABLE_FOR_INSTANCES;

  return state.attributes.type === 'favourite' ? IMMUTABLE_FOR_FAVOURITES : IMMUTABLE;
}

export function requireLive(state: GroupDefinitionState | null): GroupDefinitionState {
  if (state === null || state.deleted) {
    throw new DomainError('not_found', 'Group definition not found.');
  }

  return state;
}

/**
 * Rules that span several attributes, and the query; single-field shapes are checked
 * at the edge.
 */
export function validateAttributes(attributes: GroupDefinitionAttributes): FieldIssues {
  const errors: FieldErrors = {};
  const pair = (value: keyof GroupDefinitionAttributes, unit: keyof GroupDefinitionAttributes) => {
    if ((attributes[value] === null) !== (attributes[unit] === null)) {
      errors[attributes[value] === null ? value : unit] = [
        `The ${value} and ${unit} fields must be given together.`,
      ];
    }
  };
  pair('period', 'period_type');
  pair('refresh_period', 'refresh_period_type');
  if (attributes.type === 'favourite' && !attributes.source_type) {
    errors.source_type = ['A favourite group needs the connection type in source_type.'];
  }
  if (attributes.query !== null && attributes.query_type !== 'jsonlogic') {
    errors.query_type = ['The query_type must be jsonlogic when a query is set.'];
  }
  const query = attributes.query === null ? null : validateStoredRule('query', attributes.query);
  // JSON.parse reads 1e400 as Infinity, which would be stored as null.
  const defaults = ruleFieldIssues('arguments', nonFiniteNumberIssues(attributes.arguments, ''));

  return mergeIssues({ errors, codes: {} }, query ?? { errors: {}, codes: {} }, defaults);
}

/**
 * A favourite group's members are its owner's connections and manual additions; no
 * query filters them, so one is refused rather than stored and ignored.
 */
function refuseFavouriteQuery(type: GroupDefinitionAttributes['type'], query: unknown): void {
  if (type !== 'favourite' || query === null) return;
  throw DomainError.validation(
    { query: ['A favourite group takes no query: its members follow connections.'] },
    { query: ['query_not_supported'] },
  );
}

function throwIfInvalid(attributes: GroupDefinitionAttributes): void {
  const issues = validateAttributes(attributes);
  if (hasIssues(issues)) throw DomainError.validation(issues.errors, issues.codes);
}
