import {
  type GroupDefinitionAttributes,
  type JsonObject,
  type GroupDefinitionEvent,
  type GroupDefinitionFlags,
} from '@profile-groups/contracts';

import { DomainError } from '../shared/domain-error';
import {
  decideGroupDefinition,
  type GroupDefinitionCommand,
  type UpdateGroupDefinition,
} from './group-definition.decide';
import { evolveGroupDefinition, type GroupDefinitionState } from './group-definition.state';

const CREATED_AT = new Date('2026-03-01T09:00:00.000Z');
const LATER = new Date('2026-03-02T10:30:00.000Z');

const STATIC_GROUP: GroupDefinitionAttributes = {
  name: 'Spring newsletter',
  handle: 'spring-newsletter',
  type: 'static',
  source_type: null,
  source_id: null,
  query: null,
  query_type: null,
  arguments: null,
  period: null,
  period_type: null,
  absolute_expiry: null,
  refresh_period: null,
  refresh_period_type: null,
  refresh_absolute_expiry: null,
  short_description: null,
  description: 'Customers who asked for the spring campaign.',
  owner_profile_id: null,
  meta: { campaign: 'spring', channels: ['email', 'sms'] },
};

const DRAFT_FLAGS: GroupDefinitionFlags = {
  is_published: false,
  is_active: false,
  is_archived: false,
};

function created(
  attributes: Partial<GroupDefinitionAttributes> = {},
  flags: Partial<GroupDefinitionFlags> = {},
): GroupDefinitionEvent {
  return {
    type: 'GroupDefinitionCreated',
    data: {
      group_definition_id: 7,
      definition: { ...STATIC_GROUP, ...attributes },
      flags: { ...DRAFT_FLAGS, ...flags },
      created_at: CREATED_AT.toISOString(),
    },
  };
}

const deleted: GroupDefinitionEvent = {
  type: 'GroupDefinitionDeleted',
  data: {
    group_definition_id: 7,
    handle: 'spring-newsletter',
    deleted_at: '2026-03-01T12:00:00.000Z',
  },
};

function given(...events: GroupDefinitionEvent[]): GroupDefinitionState | null {
  return events.reduce<GroupDefinitionState | null>(evolveGroupDefinition, null);
}

function create(attributes: Partial<GroupDefinitionAttributes> = {}): GroupDefinitionCommand {
  return {
    kind: 'CreateGroupDefinition',
    id: 7,
    attributes: { ...STATIC_GROUP, ...attributes },
    flags: DRAFT_FLAGS,
    now: CREATED_AT,
  };
}

function update(
  changes: UpdateGroupDefinition['changes'],
  flags: UpdateGroupDefinition['flags'] = {},
): GroupDefinitionCommand {
  return { kind: 'UpdateGroupDefinition', changes, flags, now: LATER };
}

/** Runs the decision and returns the DomainError it throws, failing if it throws none. */
function refusal(state: GroupDefinitionState | null, command: GroupDefinitionCommand): DomainError {
  try {
    decideGroupDefinition(state, command);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`expected ${command.kind} to be refused`);
}

describe('decideGroupDefinition', () => {
  describe('CreateGroupDefinition', () => {
    it('given no events, emits GroupDefinitionCreated with the attributes and flags', () => {
      expect(decideGroupDefinition(given(), create())).toEqual([created()]);
    });

    it('given the definition exists, refuses a second create naming the id', () => {
      const error = refusal(given(created()), create());

      expect(error.code).toBe('validation_failed');
      expect(Object.keys(error.fieldErrors)).toEqual(['id']);
    });

    it('given the definition was deleted, still refuses to create it again under its id', () => {
      expect(refusal(given(created(), deleted), create()).code).toBe('validation_failed');
    });

    it.each([
      ['period', 'period_type', { period: 30 }],
      ['period_type', 'period', { period_type: 'days' as const }],
      ['refresh_period', 'refresh_period_type', { refresh_period: 6 }],
      ['refresh_period_type', 'refresh_period', { refresh_period_type: 'hours' as const }],
    ])('refuses %s without %s, naming the missing field', (_given, missing, attributes) => {
      const error = refusal(given(), create(attributes));

      expect(error.code).toBe('validation_failed');
      expect(Object.keys(error.fieldErrors)).toEqual([missing]);
      expect(error.message).toContain(missing);
    });

    it('refuses a favourite group without a source_type', () => {
      const error = refusal(given(), create({ type: 'favourite', source_type: null }));

      expect(error.code).toBe('validation_failed');
      expect(Object.keys(error.fieldErrors)).toEqual(['source_type']);
    });

    it('accepts a favourite group that names its connection type', () => {
      const events = decideGroupDefinition(
        given(),
        create({ type: 'favourite', source_type: 'stylist' }),
      );

      expect(events.map((e) => e.type)).toEqual(['GroupDefinitionCreated']);
    });

    it('refuses a query without query_type jsonlogic', () => {
      const rule = { '>=': [{ var: 'orders' }, 3] };
      const error = refusal(given(), create({ type: 'dynamic', query: rule, query_type: null }));

      expect(error.code).toBe('validation_failed');
      expect(Object.keys(error.fieldErrors)).toEqual(['query_type']);
    });

    it('refuses default arguments of 1e400, which would be stored as null', () => {
      const defaults = JSON.parse('{"minimum": 1e400, "tiers": ["gold", -1e400]}') as JsonObject;
      const error = refusal(given(), create({ type: 'dynamic', arguments: defaults }));

      expect(error.code).toBe('validation_failed');
      expect(error.fieldCodes).toEqual({
        'arguments.minimum': ['non_finite_number'],
        'arguments.tiers.1': ['non_finite_number'],
      });
    });

    it('reports every cross-field problem at once', () => {
      const error = refusal(
        given(),
        create({ type: 'favourite', period: 3, query: { var: 'vip' } }),
      );

      expect(Object.keys(error.fieldErrors).sort()).toEqual([
        'period_type',
        'query_type',
        'source_type',
      ]);
    });
  });

  describe('UpdateGroupDefinition', () => {
    it('emits GroupDefinitionUpdated listing only the attributes that changed', () => {
      const events = decideGroupDefinition(
        given(created()),
        update({
          name: 'Spring newsletter 2026',
          handle: 'spring-newsletter',
          description: STATIC_GROUP.description,
          period: 14,
          period_type: 'days',
        }),
      );

      expect(events).toEqual([
        {
          type: 'GroupDefinitionUpdated',
          data: {
            group_definition_id: 7,
            changes: { name: 'Spring newsletter 2026', period: 14, period_type: 'days' },
            updated_at: LATER.toISOString(),
          },
        },
      ]);
    });

    it('compares JSON attributes by value, ignoring key order', () => {
      const sameMeta = { channels: ['email', 'sms'], campaign: 'spring' };

      expect(decideGroupDefinition(given(created()), update({ meta: sameMeta }))).toEqual([]);
    });

    it('treats a reordered JSON array as a change', () => {
      const events = decideGroupDefinition(
        given(created()),
        update({ meta: { campaign: 'spring', channels: ['sms', 'email'] } }),
      );

      expect(events.map((e) => e.type)).toEqual(['GroupDefinitionUpdated']);
    });

    // Partial<> lets a caller pass `{ description: undefined }`. Such a key is no change:
    // JSON and BSON both drop it, so the stored event would differ from the decided one, and
    // folding the decided one would blank the description; alone it leaves an empty
    // `changes`, which the published schema (minProperties 1) rejects downstream.
    it('treats an attribute given as undefined as not given', () => {
      const events = decideGroupDefinition(
        given(created()),
        update({ name: 'Renamed', description: undefined }),
      );

      expect(events).toStrictEqual([
        {
          type: 'GroupDefinitionUpdated',
          data: {
            group_definition_id: 7,
            changes: { name: 'Renamed' },
            updated_at: LATER.toISOString(),
          },
        },
      ]);
    });

    it('emits nothing when the only attribute given is undefined', () => {
      expect(decideGroupDefinition(given(created()), update({ description: undefined }))).toEqual(
        [],
      );
    });

    it.each([
      ['is_published', false, true, 'GroupDefinitionPublished'],
      ['is_published', true, false, 'GroupDefinitionUnpublished'],
      ['is_active', false, true, 'GroupDefinitionActivated'],
      ['is_active', true, false, 'GroupDefinitionDeactivated'],
      ['is_archived', false, true, 'GroupDefinitionArchived'],
      ['is_archived', true, false, 'GroupDefinitionUnarchived'],
    ] as const)('given %s=%s, setting it to %s emits %s', (flag, from, to, type) => {
      const events = decideGroupDefinition(
        given(created({}, { [flag]: from })),
        update({}, { [flag]: to }),
      );

      expect(events).toEqual([
        { type, data: { group_definition_id: 7, updated_at: LATER.toISOString() } },
      ]);
    });

    it('emits one event per changed flag, after the attribute update', () => {
      const events = decideGroupDefinition(
        given(created()),
        update(
          { short_description: 'Spring' },
          { is_archived: true, is_published: true, is_active: false },
        ),
      );

      expect(events.map((e) => e.type)).toEqual([
        'GroupDefinitionUpdated',
        'GroupDefinitionPublished',
        'GroupDefinitionArchived',
      ]);
    });

    it('emits nothing when every attribute and flag already has the given value', () => {
      const events = decideGroupDefinition(
        given(created({}, { is_active: true })),
        update({ ...STATIC_GROUP }, { is_published: false, is_active: true, is_archived: false }),
      );

      expect(events).toEqual([]);
    });

    it('emits nothing for an empty update', () => {
      expect(decideGroupDefinition(given(created()), update({}))).toEqual([]);
    });

    it('refuses to change the type with immutable_field naming it', () => {
      const error = refusal(
        given(created()),
        update({ name: 'Now dynamic', type: 'dynamic' }, { is_published: true }),
      );

      expect(error.code).toBe('immutable_field');
      expect(Object.keys(error.fieldErrors)).toEqual(['type']);
    });

    it('accepts the current type restated alongside other changes', () => {
      const events = decideGroupDefinition(
        given(created()),
        update({ type: 'static', name: 'Same type' }),
      );

      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ data: { changes: { name: 'Same type' } } });
    });

    it('refuses a change that leaves period without period_type', () => {
      const state = given(created({ period: 30, period_type: 'days' }));
      const error = refusal(state, update({ period_type: null }));

      expect(error.code).toBe('validation_failed');
      expect(Object.keys(error.fieldErrors)).toEqual(['period_type']);
    });

    it('refuses a change that sets a query while query_type stays null', () => {
      const state = given(created({ type: 'dynamic' }));
      const error = refusal(state, update({ query: { '==': [{ var: 'tier' }, 'gold'] } }));

      expect(error.code).toBe('validation_failed');
      expect(Object.keys(error.fieldErrors)).toEqual(['query_type']);
    });

    it('refuses to clear the source_type of a favourite group', () => {
      const state = given(created({ type: 'favourite', source_type: 'household' }));

      expect(refusal(state, update({ source_type: null })).fieldErrors).toHaveProperty(
        'source_type',
      );
    });
  });

  describe('DeleteGroupDefinition', () => {
    it('emits GroupDefinitionDeleted with the handle it releases', () => {
      const events = decideGroupDefinition(given(created()), {
        kind: 'DeleteGroupDefinition',
        now: LATER,
      });

      expect(events).toEqual([
        {
          type: 'GroupDefinitionDeleted',
          data: {
            group_definition_id: 7,
            handle: 'spring-newsletter',
            deleted_at: LATER.toISOString(),
          },
        },
      ]);
    });
  });

  describe('on a definition that is gone', () => {
    const commands: [string, GroupDefinitionCommand][] = [
      ['an update', update({ name: 'Too late' })],
      ['a flag change', update({}, { is_active: true })],
      ['a no-op update', update({})],
      ['a delete', { kind: 'DeleteGroupDefinition', now: LATER }],
    ];

    it.each(commands)('refuses %s after deletion with not_found', (_name, command) => {
      expect(refusal(given(created(), deleted), command).code).toBe('not_found');
    });

    it.each(commands)('refuses %s before creation with not_found', (_name, command) => {
      expect(refusal(given(), command).code).toBe('not_found');
    });
  });
});

describe('evolveGroupDefinition', () => {
  it('builds the state from GroupDefinitionCreated', () => {
    expect(given(created({}, { is_published: true }))).toEqual({
      id: 7,
      version: 1,
      attributes: STATIC_GROUP,
      flags: { is_published: true, is_active: false, is_archived: false },
      rules: [],
      created_at: CREATED_AT.toISOString(),
      updated_at: CREATED_AT.toISOString(),
      deleted: false,
    });
  });

  it('merges the changes of GroupDefinitionUpdated and keeps the other attributes', () => {
    const state = given(created(), {
      type: 'GroupDefinitionUpdated',
      data: {
        group_definition_id: 7,
        changes: { name: 'Renamed', meta: null },
        updated_at: LATER.toISOString(),
      },
    });

    expect(state?.attributes).toEqual({ ...STATIC_GROUP, name: 'Renamed', meta: null });
    expect(state?.updated_at).toBe(LATER.toISOString());
    expect(state?.created_at).toBe(CREATED_AT.toISOString());
  });

  // Each event starts from the opposite of its outcome on every flag, so any stray change shows.
  it.each([
    ['GroupDefinitionPublished', 'is_published', true],
    ['GroupDefinitionUnpublished', 'is_published', false],
    ['GroupDefinitionActivated', 'is_active', true],
    ['GroupDefinitionDeactivated', 'is_active', false],
    ['GroupDefinitionArchived', 'is_archived', true],
    ['GroupDefinitionUnarchived', 'is_archived', false],
  ] as const)('%s sets %s to %s and no other flag', (type, flag, value) => {
    const start = { is_published: !value, is_active: !value, is_archived: !value };
    const state = given(created({}, start), {
      type,
      data: { group_definition_id: 7, updated_at: LATER.toISOString() },
    });

    expect(state?.flags).toEqual({ ...start, [flag]: value });
    expect(state?.updated_at).toBe(LATER.toISOString());
  });

  it('marks the state deleted at the deletion time', () => {
    const state = given(created(), deleted);

    expect(state?.deleted).toBe(true);
    expect(state?.updated_at).toBe(deleted.data.deleted_at);
    expect(state?.attributes).toEqual(STATIC_GROUP);
  });

  it('ignores events that arrive before the definition was created', () => {
    expect(given(deleted)).toBeNull();
  });

  it('folds the events a decision emits into a state the same decision leaves unchanged', () => {
    const command = update(
      { name: 'Folded', period: 2, period_type: 'weeks' },
      { is_published: true, is_active: true },
    );
    const first = decideGroupDefinition(given(created()), command);
    const after = given(created(), ...first);

    expect(first).toHaveLength(3);
    expect(after?.attributes).toMatchObject({ name: 'Folded', period: 2, period_type: 'weeks' });
    expect(after?.flags).toEqual({ is_published: true, is_active: true, is_archived: false });
    expect(decideGroupDefinition(after, command)).toEqual([]);
  });
});
