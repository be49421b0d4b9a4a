import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

import {
  EVENT_CATALOGUE,
  type EventData,
  type EventType,
  isEventType,
  schemaId,
} from './catalogue';
import { checkEventData } from './validation';

const lifecycle = { group_definition_id: 42, updated_at: '2026-04-02T08:15:00.000Z' };

/** A realistic event of every catalogued type; a new type without an example fails to compile. */
const EXAMPLES: { [T in EventType]: EventData<T> } = {
  ConnectionUpserted: {
    profile_id: 'stylist-9',
    connected_profile_id: 'profile-7f3a',
    type: 'stylist-client',
    status: 'accepted',
    upserted_at: '2026-04-03T09:30:00.000Z',
  },
  ConnectionRemoved: {
    profile_id: 'stylist-9',
    connected_profile_id: 'profile-7f3a',
    removed_at: '2026-04-04T09:30:00.000Z',
  },
  GroupDefinitionCreated: {
    group_definition_id: 42,
    definition: {
      name: 'Gold tier, recent buyers',
      handle: 'gold-recent',
      type: 'dynamic',
      source_type: null,
      source_id: null,
      query: { and: [{ '==': [{ var: 'tier' }, 'gold'] }, { '>=': [{ var: 'orders_90d' }, 2] }] },
      query_type: 'jsonlogic',
      arguments: { window_days: 90 },
      period: 30,
      period_type: 'days',
      absolute_expiry: '2026-12-31T23:59:59.000Z',
      refresh_period: 6,
      refresh_period_type: 'hours',
      refresh_absolute_expiry: null,
      short_description: 'Gold buyers',
      description: 'Gold-tier customers with two or more orders in 90 days.',
      owner_profile_id: 'profile-owner-1',
      meta: { team: 'crm' },
    },
    flags: { is_published: true, is_active: true, is_archived: false },
    created_at: '2026-04-01T10:00:00.000Z',
  },
  FavouriteGroupActivated: {
    group_definition_id: 43,
    favourite_definition_id: 40,
    owner_profile_id: 'stylist-9',
    definition: {
      name: 'My clients',
      handle: 'stylist-clients@stylist-9',
      type: 'favourite',
      source_type: 'stylist-client',
      source_id: '40',
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
      description: null,
      owner_profile_id: 'stylist-9',
      meta: null,
    },
    flags: { is_published: false, is_active: true, is_archived: false },
    activated_at: '2026-04-03T09:00:00.000Z',
  },
  GroupDefinitionUpdated: {
    group_definition_id: 42,
    changes: { name: 'Gold tier, very recent buyers', refresh_period: 3 },
    updated_at: '2026-04-02T08:15:00.000Z',
  },
  GroupDefinitionPublished: lifecycle,
  GroupDefinitionUnpublished: lifecycle,
  GroupDefinitionActivated: lifecycle,
  GroupDefinitionDeactivated: lifecycle,
  GroupDefinitionArchived: lifecycle,
  GroupDefinitionUnarchived: lifecycle,
  GroupDefinitionDeleted: {
    group_definition_id: 42,
    handle: 'gold-recent',
    deleted_at: '2026-05-01T00:00:00.000Z',
  },
  MemberAdded: {
    group_definition_id: 42,
    profile_id: 'profile-7f3a',
    membership_id: '0b0c8e7e-4a43-4d7e-9d55-2f1b5f3f8a10',
    added_at: '2026-04-01T10:05:00.000Z',
    expires_at: '2026-05-01T10:05:00.000Z',
    added_by_profile_id: 'profile-stylist-2',
    source_type: 'stylist',
    source_id: 'connection-991',
    meta: { channel: 'store' },
  },
  MemberRemoved: {
    group_definition_id: 42,
    profile_id: 'profile-7f3a',
    membership_id: '0b0c8e7e-4a43-4d7e-9d55-2f1b5f3f8a10',
    removed_at: '2026-04-03T16:00:00.000Z',
    reason: 'manual',
    removed_reason: 'Customer asked to leave',
    removed_by_profile_id: 'profile-operator-5',
  },
  GroupRuleAdded: {
    group_definition_id: 42,
    rule_id: 7,
    rule: {
      group_rule_definition_id: 3,
      rule: null,
      type: 'inclusion',
      name: 'Spent enough',
      arguments: [{ name: 'minimum', value: 500 }],
      sort_order: 0,
      is_active: true,
      meta: null,
    },
    rule_version: 1,
    effective: effective(),
    added_at: '2026-04-01T10:01:00.000Z',
  },
  RuleChanged: {
    group_definition_id: 42,
    rule_id: 7,
    rule_version: 2,
    cause: 'rule_definition_changed',
    changes: {},
    effective: { ...effective(), rule_definition_version: 2 },
    changed_at: '2026-04-02T09:00:00.000Z',
  },
  GroupRuleRemoved: {
    group_definition_id: 42,
    rule_id: 7,
    rule_version: 3,
    removed_at: '2026-04-03T09:00:00.000Z',
  },
  RuleDefinitionCreated: {
    rule_definition_id: 3,
    definition: {
      handle: 'spend-at-least',
      name: 'Spend at least',
      description: null,
      evaluator: 'jsonlogic',
      rule: { in: [{ var: 'tier' }, ['gold', 'platinum']] },
      arguments: [{ name: 'minimum', type: 'number', required: true }],
      meta: null,
    },
    created_at: '2026-04-01T09:00:00.000Z',
  },
  RuleDefinitionUpdated: {
    rule_definition_id: 3,
    changes: { name: 'Spend at least (EUR)' },
    updated_at: '2026-04-02T09:00:00.000Z',
  },
  RuleDefinitionDeleted: {
    rule_definition_id: 3,
    handle: 'spend-at-least',
    deleted_at: '2026-05-01T00:00:00.000Z',
  },
  RefreshRequested: { group_definition_id: 42, requested_at: '2026-04-01T11:00:00.000Z' },
  RefreshScheduled: { group_definition_id: 42, next_refresh_at: '2026-04-01T17:00:00.000Z' },
  RefreshStarted: {
    group_definition_id: 42,
    snapshot_id: 'a3f1c2d4-1111-4222-8333-944455556666',
    trigger: 'manual',
    started_at: '2026-04-01T11:00:01.000Z',
  },
  RefreshFailed: {
    group_definition_id: 42,
    snapshot_id: 'a3f1c2d4-1111-4222-8333-944455556666',
    trigger: 'manual',
    error: 'MongoDB unreachable',
    failed_at: '2026-04-01T11:00:09.000Z',
  },
  SnapshotTaken: {
    group_definition_id: 42,
    snapshot_id: 'a3f1c2d4-1111-4222-8333-944455556666',
    trigger: 'schedule',
    started_at: '2026-04-01T11:00:01.000Z',
    finished_at: '2026-04-01T11:00:09.000Z',
    definition_version: 5,
    rule_versions: [
      { rule_id: 7, rule_version: 1, rule_definition_id: 3, rule_definition_version: 1 },
    ],
    counts: { evaluated: 100000, included: 31250, added: 120, removed: 45 },
    profile_versions_digest: 'sha256-xor:00ff',
    next_refresh_at: '2026-04-01T17:00:01.000Z',
  },
  ProfileUpserted: {
    profile_id: 'profile-7f3a',
    attributes: { tier: 'gold', tags: [['nested']], total_spend: 612.5 },
    upserted_at: '2026-04-01T10:00:00.000Z',
  },
  ProfileDeleted: { profile_id: 'profile-7f3a', deleted_at: '2026-06-01T00:00:00.000Z' },
};

function effective() {
  return {
    handle: 'spend-at-least',
    evaluator: 'jsonlogic' as const,
    rule: { '>=': [{ var: 'total_spend' }, 500] },
    name: 'Spent enough',
    arguments: { minimum: 500 },
    rule_definition_version: 1,
  };
}

const catalogue = Object.values(EVENT_CATALOGUE);

function requiredOf(schema: Record<string, unknown>): string[] {
  return schema.required as string[];
}

function without(data: object, field: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...data };
  delete copy[field];

  return copy;
}

describe('event catalogue', () => {
  it('lists each type under its own name with a versioned schema id', () => {
    for (const [key, spec] of Object.entries(EVENT_CATALOGUE)) {
      expect(spec.type).toBe(key);
      expect(spec.schema.$id).toBe(schemaId(key, spec.schemaVersion));
      expect(spec.description.length).toBeGreaterThan(0);
    }
  });

  it.each(catalogue)('compiles the schema of $type under strict draft 2020-12', (spec) => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);

    expect(typeof ajv.compile(spec.schema)).toBe('function');
  });

  it('recognises only its own types, not inherited object keys', () => {
    expect(isEventType('MemberAdded')).toBe(true);
    expect(isEventType('toString')).toBe(false);
    expect(isEventType('__proto__')).toBe(false);
  });
});

describe('checkEventData', () => {
  it.each(catalogue)('accepts a realistic $type', ({ type, schemaVersion }) => {
    expect(checkEventData(type, schemaVersion, EXAMPLES[type])).toEqual({ ok: true });
  });

  it.each(catalogue)(
    'rejects $type missing any required field',
    ({ type, schemaVersion, schema }) => {
      const required = requiredOf(schema);

      expect(required.length).toBeGreaterThan(0);
      for (const field of required) {
        const check = checkEventData(type, schemaVersion, without(EXAMPLES[type], field));

        expect(check).toEqual({ ok: false, reason: expect.stringContaining(field) });
      }
    },
  );

  it.each(catalogue)('rejects $type with a field it does not define', ({ type, schemaVersion }) => {
    const check = checkEventData(type, schemaVersion, { ...EXAMPLES[type], tenant: 'eu-1' });

    expect(check).toEqual({
      ok: false,
      reason: expect.stringContaining('additional properties'),
    });
  });

  it('rejects a definition that leaves out one of its attributes', () => {
    const created = EXAMPLES.GroupDefinitionCreated;
    const check = checkEventData('GroupDefinitionCreated', 1, {
      ...created,
      definition: without(created.definition, 'period_type'),
    });

    expect(check).toEqual({ ok: false, reason: expect.stringContaining('period_type') });
  });

  it.each([
    ['an unknown attribute in changes', { changes: { colour: 'gold' } }],
    ['an empty changes object', { changes: {} }],
    ['a period of zero', { changes: { period: 0 } }],
    ['an unknown period type', { changes: { period_type: 'fortnights' } }],
  ])('rejects GroupDefinitionUpdated with %s', (_name, override) => {
    const data = { ...EXAMPLES.GroupDefinitionUpdated, ...override };

    expect(checkEventData('GroupDefinitionUpdated', 1, data).ok).toBe(false);
  });

  it.each([
    ['a reason outside the catalogue', { reason: 'bored' }],
    ['a removed_reason over 255 characters', { removed_reason: 'x'.repeat(256) }],
    ['a removal time without a zone', { removed_at: '2026-04-03T16:00:00' }],
    ['an empty profile id', { profile_id: '' }],
  ])('rejects MemberRemoved with %s', (_name, override) => {
    const data = { ...EXAMPLES.MemberRemoved, ...override };

    expect(checkEventData('MemberRemoved', 1, data).ok).toBe(false);
  });

  it('accepts every removal reason of the catalogue', () => {
    for (const reason of ['manual', 'expired', 'rule', 'connection', 'group_deleted']) {
      expect(checkEventData('MemberRemoved', 1, { ...EXAMPLES.MemberRemoved, reason })).toEqual({
        ok: true,
      });
    }
  });

  it('rejects data that is not an object', () => {
    expect(checkEventData('MemberAdded', 1, null).ok).toBe(false);
    expect(checkEventData('MemberAdded', 1, '{"profile_id":"p"}').ok).toBe(false);
  });

  it.each(['MembershipGranted', 'memberadded', 'toString', ''])(
    'rejects the unknown type "%s"',
    (type) => {
      expect(checkEventData(type, 1, EXAMPLES.MemberAdded)).toEqual({
        ok: false,
        reason: `unknown event type ${type}`,
      });
    },
  );

  it.each([0, 2, 1.5])('rejects schema version %s of a known type', (version) => {
    expect(checkEventData('MemberAdded', version, EXAMPLES.MemberAdded)).toEqual({
      ok: false,
      reason: `unsupported schema version ${version} of MemberAdded`,
    });
  });
});
