import {
  type GroupDefinitionAttributes,
  type GroupDefinitionEvent,
  type GroupDefinitionFlags,
} from '@profile-groups/contracts';

import { DomainError } from '../shared/domain-error';
import { type ActivateFavouriteGroup, instanceOwner } from './favourite-group';
import { decideGroupDefinition, type GroupDefinitionCommand } from './group-definition.decide';
import { evolveGroupDefinition, type GroupDefinitionState } from './group-definition.state';

const NOW = new Date('2026-04-03T09:00:00.000Z');

const STYLIST_CLIENTS: GroupDefinitionAttributes = {
  name: 'My clients',
  handle: 'stylist-clients',
  type: 'favourite',
  source_type: 'stylist-client',
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
  short_description: 'The clients a stylist looks after',
  description: null,
  owner_profile_id: null,
  meta: { colour: 'teal' },
};

const LIVE: GroupDefinitionFlags = { is_published: true, is_active: true, is_archived: false };

function given(...events: GroupDefinitionEvent[]): GroupDefinitionState | null {
  return events.reduce<GroupDefinitionState | null>(evolveGroupDefinition, null);
}

function definition(
  attributes: Partial<GroupDefinitionAttributes> = {},
  flags: Partial<GroupDefinitionFlags> = {},
): GroupDefinitionEvent {
  return {
    type: 'GroupDefinitionCreated',
    data: {
      group_definition_id: 40,
      definition: { ...STYLIST_CLIENTS, ...attributes },
      flags: { ...LIVE, ...flags },
      created_at: '2026-04-01T10:00:00.000Z',
    },
  };
}

function activate(
  favourite: GroupDefinitionState | null,
  ownerProfileId = 'stylist-9',
): ActivateFavouriteGroup {
  return { kind: 'ActivateFavouriteGroup', id: 43, favourite, ownerProfileId, now: NOW };
}

function refusal(state: GroupDefinitionState | null, command: GroupDefinitionCommand): DomainError {
  try {
    decideGroupDefinition(state, command);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

function instance(): GroupDefinitionState {
  const [activated] = decideGroupDefinition(null, activate(given(definition())));

  return given(activated!)!;
}

describe('favourite instances', () => {
  describe('ActivateFavouriteGroup', () => {
    it('gives the owner an instance copied from the definition, owned and fixed to it', () => {
      const events = decideGroupDefinition(null, activate(given(definition())));

      expect(events).toEqual([
        {
          type: 'FavouriteGroupActivated',
          data: {
            group_definition_id: 43,
            favourite_definition_id: 40,
            owner_profile_id: 'stylist-9',
            definition: {
              ...STYLIST_CLIENTS,
              handle: 'stylist-clients@stylist-9',
              source_id: '40',
              owner_profile_id: 'stylist-9',
            },
            flags: { is_published: true, is_active: true, is_archived: false },
            activated_at: NOW.toISOString(),
          },
        },
      ]);
      expect(instanceOwner(given(...events))).toBe('stylist-9');
    });

    it('starts active even when the definition is unpublished', () => {
      const [event] = decideGroupDefinition(
        null,
        activate(given(definition({}, { is_published: false }))),
      );

      expect(event).toMatchObject({
        data: { flags: { is_published: false, is_active: true, is_archived: false } },
      });
    });

    it.each([
      ['no definition', null],
      ['a deleted definition', given(definition(), deletion(40))],
      ['a static group', given(definition({ type: 'static', source_type: null }))],
      ['an inactive definition', given(definition({}, { is_active: false }))],
      ['an archived definition', given(definition({}, { is_archived: true }))],
      ['another profile`s instance', instance()],
    ])('refuses %s, naming group_definition_id', (_name, favourite) => {
      const error = refusal(null, activate(favourite));

      expect(error.code).toBe('validation_failed');
      expect(Object.keys(error.fieldErrors)).toEqual(['group_definition_id']);
    });

    it('refuses an instance handle longer than a handle may be', () => {
      const long = given(definition({ handle: 'h'.repeat(200) }));

      expect(refusal(null, activate(long, 'p'.repeat(60))).fieldErrors).toHaveProperty(
        'group_definition_id',
      );
      expect(decideGroupDefinition(null, activate(long, 'p'.repeat(54)))).toHaveLength(1);
    });

    it('refuses an id whose stream already holds a group', () => {
      expect(refusal(instance(), activate(given(definition()))).fieldErrors).toHaveProperty('id');
    });
  });

  describe('what edits may change', () => {
    const update = (changes: Partial<GroupDefinitionAttributes>): GroupDefinitionCommand => ({
      kind: 'UpdateGroupDefinition',
      changes,
      flags: {},
      now: NOW,
    });

    it.each([
      ['handle', { handle: 'mine' }],
      ['source_type', { source_type: 'household' }],
      ['source_id', { source_id: '41' }],
      ['owner_profile_id', { owner_profile_id: 'someone-else' }],
      ['type', { type: 'static' as const }],
    ])('keeps the %s of an instance', (field, changes) => {
      const error = refusal(instance(), update(changes));

      expect(error.code).toBe('immutable_field');
      expect(Object.keys(error.fieldErrors)).toEqual([field]);
    });

    it('edits the name, descriptions and meta of an instance', () => {
      const events = decideGroupDefinition(
        instance(),
        update({ name: 'Regulars', description: 'Weekly', meta: { colour: 'red' } }),
      );

      expect(events).toMatchObject([
        {
          type: 'GroupDefinitionUpdated',
          data: { changes: { name: 'Regulars', description: 'Weekly', meta: { colour: 'red' } } },
        },
      ]);
    });

    it('gives a favourite definition no owner, but lets it change its connection type', () => {
      const favourite = given(definition());

      expect(refusal(favourite, update({ owner_profile_id: 'p-1' })).code).toBe('immutable_field');
      expect(decideGroupDefinition(favourite, update({ source_type: 'household' }))).toHaveLength(
        1,
      );
    });

    it('refuses a query on a favourite definition, at creation and by an edit, with its code', () => {
      const query = { '==': [{ var: 'tier' }, 'gold'] };
      const created = refusal(null, {
        kind: 'CreateGroupDefinition',
        id: 44,
        attributes: { ...STYLIST_CLIENTS, query, query_type: 'jsonlogic' },
        flags: LIVE,
        now: NOW,
      });
      const edited = refusal(given(definition()), update({ query, query_type: 'jsonlogic' }));

      for (const error of [created, edited]) {
        expect(error).toMatchObject({
          code: 'validation_failed',
          fieldCodes: { query: ['query_not_supported'] },
        });
      }
    });

    it('keeps a definition stored with a query editable, and gives its instances none', () => {
      const legacy = given(definition({ query: { '==': [1, 1] }, query_type: 'jsonlogic' }));

      expect(decideGroupDefinition(legacy, update({ name: 'Regulars' }))).toHaveLength(1);
      expect(decideGroupDefinition(legacy, update({ query: null, query_type: null }))).toHaveLength(
        1,
      );
      expect(decideGroupDefinition(null, activate(legacy))).toMatchObject([
        { data: { definition: { query: null, query_type: null } } },
      ]);
    });

    it('refuses to create a favourite group that already has an owner', () => {
      const error = refusal(null, {
        kind: 'CreateGroupDefinition',
        id: 44,
        attributes: { ...STYLIST_CLIENTS, owner_profile_id: 'p-1' },
        flags: LIVE,
        now: NOW,
      });

      expect(Object.keys(error.fieldErrors)).toEqual(['owner_profile_id']);
    });

    it('lets a static group keep naming an owner, as before', () => {
      const events = decideGroupDefinition(null, {
        kind: 'CreateGroupDefinition',
        id: 45,
        attributes: { ...STYLIST_CLIENTS, type: 'static', owner_profile_id: 'p-1' },
        flags: LIVE,
        now: NOW,
      });

      expect(instanceOwner(given(...events))).toBeNull();
    });
  });
});

function deletion(id: number): GroupDefinitionEvent {
  return {
    type: 'GroupDefinitionDeleted',
    data: { group_definition_id: id, handle: 'stylist-clients', deleted_at: NOW.toISOString() },
  };
}
