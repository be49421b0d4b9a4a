import {
  type EffectiveRule,
  type GroupDefinitionAttributes,
  type GroupDefinitionEvent,
  type GroupRuleAttributes,
  type JsonObject,
  type JsonValue,
  type RuleDefinitionAttributes,
  type RuleDefinitionEvent,
} from '@profile-groups/contracts';

import { decideGroupDefinition } from '../group-definition/group-definition.decide';
import {
  evolveGroupDefinition,
  type GroupDefinitionState,
} from '../group-definition/group-definition.state';
import {
  evolveRuleDefinition,
  type RuleDefinitionState,
} from '../rule-definition/rule-definition.state';
import { DomainError } from '../shared/domain-error';
import { decideGroupRule, type GroupRuleCommand } from './group-rule.decide';

const CREATED_AT = '2026-05-01T09:00:00.000Z';
const ADDED_AT = '2026-05-02T09:00:00.000Z';
const NOW = new Date('2026-05-04T14:20:00.000Z');

const DYNAMIC_GROUP: GroupDefinitionAttributes = {
  name: 'High value customers',
  handle: 'high-value',
  type: 'dynamic',
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
  description: null,
  owner_profile_id: null,
  meta: null,
};

const SPEND_TEMPLATE: RuleDefinitionAttributes = {
  handle: 'minimum-spend',
  name: 'Minimum lifetime spend',
  description: null,
  evaluator: 'jsonlogic',
  rule: {
    and: [
      { '>=': [{ var: 'lifetime_spend' }, { arg: 'minimum' }] },
      { in: [{ var: 'tier' }, { arg: 'tiers' }] },
    ],
  },
  arguments: [
    { name: 'minimum', type: 'number', required: true },
    { name: 'tiers', type: 'array', required: false, default: ['gold'] },
  ],
  meta: null,
};

const VISITS_TEMPLATE: RuleDefinitionAttributes = {
  handle: 'frequent-visitor',
  name: 'Frequent visitor',
  description: null,
  evaluator: 'jsonlogic',
  rule: { '>=': [{ var: 'visits' }, { arg: 'visits' }] },
  arguments: [{ name: 'visits', type: 'integer', required: true, default: 3 }],
  meta: null,
};

function template(
  id: number,
  attributes: RuleDefinitionAttributes,
  ...changes: Partial<RuleDefinitionAttributes>[]
): RuleDefinitionState {
  const events: RuleDefinitionEvent[] = [
    {
      type: 'RuleDefinitionCreated',
      data: { rule_definition_id: id, definition: attributes, created_at: CREATED_AT },
    },
    ...changes.map(
      (change): RuleDefinitionEvent => ({
        type: 'RuleDefinitionUpdated',
        data: { rule_definition_id: id, changes: change, updated_at: ADDED_AT },
      }),
    ),
  ];
  const state = events.reduce<RuleDefinitionState | null>(evolveRuleDefinition, null);
  if (state === null) throw new Error('template did not fold');

  return state;
}

const SPEND = template(3, SPEND_TEMPLATE);
const VISITS = template(4, VISITS_TEMPLATE);

function spendRule(minimum: JsonValue, tiers: JsonValue): JsonValue {
  return {
    and: [{ '>=': [{ var: 'lifetime_spend' }, minimum] }, { in: [{ var: 'tier' }, tiers] }],
  };
}

function spendEffective(minimum: number, tiers: string[], version = 1): EffectiveRule {
  return {
    handle: 'minimum-spend',
    evaluator: 'jsonlogic',
    rule: spendRule(minimum, tiers),
    name: 'Minimum lifetime spend',
    arguments: { minimum, tiers },
    rule_definition_version: version,
  };
}

function attributes(overrides: Partial<GroupRuleAttributes> = {}): GroupRuleAttributes {
  return {
    group_rule_definition_id: 3,
    rule: null,
    type: 'inclusion',
    name: null,
    arguments: [],
    sort_order: 10,
    is_active: true,
    meta: null,
    ...overrides,
  };
}

function groupCreated(overrides: Partial<GroupDefinitionAttributes> = {}): GroupDefinitionEvent {
  return {
    type: 'GroupDefinitionCreated',
    data: {
      group_definition_id: 21,
      definition: { ...DYNAMIC_GROUP, ...overrides },
      flags: { is_published: true, is_active: true, is_archived: false },
      created_at: CREATED_AT,
    },
  };
}

function ruleAdded(
  ruleId: number,
  rule: GroupRuleAttributes,
  effective: EffectiveRule,
): GroupDefinitionEvent {
  return {
    type: 'GroupRuleAdded',
    data: {
      group_definition_id: 21,
      rule_id: ruleId,
      rule,
      rule_version: 1,
      effective,
      added_at: ADDED_AT,
    },
  };
}

function ruleChanged(
  ruleId: number,
  ruleVersion: number,
  changes: Partial<GroupRuleAttributes>,
  effective: EffectiveRule,
): GroupDefinitionEvent {
  return {
    type: 'RuleChanged',
    data: {
      group_definition_id: 21,
      rule_id: ruleId,
      rule_version: ruleVersion,
      cause: 'edited',
      changes,
      effective,
      changed_at: ADDED_AT,
    },
  };
}

function given(...events: GroupDefinitionEvent[]): GroupDefinitionState {
  const state = events.reduce<GroupDefinitionState | null>(evolveGroupDefinition, null);
  if (state === null) throw new Error('group did not fold');

  return state;
}

function add(
  rule: GroupRuleAttributes,
  ruleTemplate: RuleDefinitionState | null = SPEND,
): GroupRuleCommand {
  return { kind: 'AddGroupRule', ruleId: 1, attributes: rule, template: ruleTemplate, now: NOW };
}

function change(
  ruleId: number,
  changes: Partial<GroupRuleAttributes>,
  ruleTemplate: RuleDefinitionState | null = SPEND,
): GroupRuleCommand {
  return { kind: 'ChangeGroupRule', ruleId, changes, template: ruleTemplate, now: NOW };
}

/** Runs the decision and returns the DomainError it throws, failing if it throws none. */
function refusal(group: GroupDefinitionState, command: GroupRuleCommand): DomainError {
  try {
    decideGroupRule(group, command);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`expected ${command.kind} to be refused`);
}

function effectiveOf(events: GroupDefinitionEvent[]): EffectiveRule {
  const [event] = events;
  if (event?.type !== 'GroupRuleAdded' && event?.type !== 'RuleChanged') {
    throw new Error(`expected a rule event, got ${event?.type ?? 'none'}`);
  }

  return event.data.effective;
}

const INLINE_GOLD = attributes({
  group_rule_definition_id: null,
  rule: { '==': [{ var: 'tier' }, 'gold'] },
  name: 'Gold tier',
});

const INLINE_GOLD_EFFECTIVE: EffectiveRule = {
  handle: null,
  evaluator: 'jsonlogic',
  rule: { '==': [{ var: 'tier' }, 'gold'] },
  name: 'Gold tier',
  arguments: {},
  rule_definition_version: null,
};

describe('decideGroupRule', () => {
  describe('AddGroupRule', () => {
    it('resolves the template with the rule argument values into the effective rule', () => {
      const rule = attributes({
        arguments: [
          { name: 'minimum', value: 1000 },
          { name: 'tiers', value: ['gold', 'platinum'] },
        ],
      });

      expect(decideGroupRule(given(groupCreated()), add(rule))).toEqual([
        {
          type: 'GroupRuleAdded',
          data: {
            group_definition_id: 21,
            rule_id: 1,
            rule,
            rule_version: 1,
            effective: spendEffective(1000, ['gold', 'platinum']),
            added_at: NOW.toISOString(),
          },
        },
      ]);
    });

    it.each<[string, JsonObject | null, GroupRuleAttributes['arguments'], number, string[]]>([
      ['the group default, then the declaration default', { minimum: 250 }, [], 250, ['gold']],
      [
        'the rule value over the group default',
        { minimum: 250, tiers: ['silver'] },
        [{ name: 'minimum', value: 900 }],
        900,
        ['silver'],
      ],
      [
        'the rule value over both defaults',
        { tiers: ['silver'] },
        [
          { name: 'minimum', value: 100 },
          { name: 'tiers', value: ['bronze'] },
        ],
        100,
        ['bronze'],
      ],
    ])('takes %s', (_case, defaults, values, minimum, tiers) => {
      const events = decideGroupRule(
        given(groupCreated({ arguments: defaults })),
        add(attributes({ arguments: values })),
      );

      expect(effectiveOf(events)).toEqual(spendEffective(minimum, tiers));
    });

    it('ignores group defaults for arguments the template does not declare', () => {
      const events = decideGroupRule(
        given(groupCreated({ arguments: { minimum: 250, region: 'EU' } })),
        add(attributes()),
      );

      expect(effectiveOf(events).arguments).toEqual({ minimum: 250, tiers: ['gold'] });
    });

    it('names the effective rule after the rule, else after its template', () => {
      const group = given(groupCreated({ arguments: { minimum: 250 } }));

      expect(
        effectiveOf(decideGroupRule(group, add(attributes({ name: 'Big spenders' })))).name,
      ).toBe('Big spenders');
      expect(effectiveOf(decideGroupRule(group, add(attributes()))).name).toBe(
        'Minimum lifetime spend',
      );
    });

    it('records the version of the template it resolved', () => {
      const renamed = template(3, SPEND_TEMPLATE, { description: 'v2' }, { description: 'v3' });
      const events = decideGroupRule(
        given(groupCreated({ arguments: { minimum: 250 } })),
        add(attributes(), renamed),
      );

      expect(effectiveOf(events).rule_definition_version).toBe(3);
    });

    it('takes an inline rule as it is, without handle or template version', () => {
      expect(effectiveOf(decideGroupRule(given(groupCreated()), add(INLINE_GOLD, null)))).toEqual(
        INLINE_GOLD_EFFECTIVE,
      );
    });

    it('fills the placeholders of an inline rule from the group defaults', () => {
      const inline = attributes({
        group_rule_definition_id: null,
        rule: { '>=': [{ var: 'visits' }, { arg: 'visits' }] },
      });
      const events = decideGroupRule(
        given(groupCreated({ arguments: { visits: 5 } })),
        add(inline, null),
      );

      expect(effectiveOf(events)).toMatchObject({
        rule: { '>=': [{ var: 'visits' }, 5] },
        arguments: { visits: 5 },
      });
    });

    it('refuses an inline placeholder nothing gives a value', () => {
      const inline = attributes({
        group_rule_definition_id: null,
        rule: { '>=': [{ var: 'visits' }, { arg: 'visits' }] },
      });
      const error = refusal(given(groupCreated()), add(inline, null));

      expect(error.code).toBe('validation_failed');
      expect(error.fieldErrors['arguments.visits']).toEqual(['The argument "visits" is required.']);
    });

    it('refuses an unknown operator in an inline rule at its path under rule', () => {
      const inline = attributes({ group_rule_definition_id: null, rule: { between: [1, 2] } });
      const error = refusal(given(groupCreated()), add(inline, null));

      expect(error.fieldErrors).toEqual({ 'rule.between': ['Unknown operator "between".'] });
    });

    it('refuses an argument value that makes a var path unsafe, at the path in the rule', () => {
      const byField: RuleDefinitionState = template(5, {
        ...SPEND_TEMPLATE,
        handle: 'flag-set',
        rule: { '==': [{ var: { arg: 'field' } }, true] },
        arguments: [{ name: 'field', type: 'string', required: true }],
      });
      const rule = attributes({
        group_rule_definition_id: 5,
        arguments: [{ name: 'field', value: 'settings.__proto__.admin' }],
      });
      const error = refusal(given(groupCreated()), add(rule, byField));

      expect(error.code).toBe('validation_failed');
      expect(error.fieldErrors).toEqual({
        'rule.==.0.var': [
          'The path "settings.__proto__.admin" uses "__proto__", which is not allowed.',
        ],
      });
    });

    it('refuses a template id and an inline rule given together', () => {
      const both = attributes({ rule: { '==': [{ var: 'tier' }, 'gold'] } });

      expect(refusal(given(groupCreated()), add(both)).fieldErrors).toEqual({
        rule: ['Give either group_rule_definition_id or rule, not both.'],
      });
    });

    it('refuses a rule with neither a template id nor an inline rule', () => {
      const neither = attributes({ group_rule_definition_id: null });

      expect(refusal(given(groupCreated()), add(neither, null)).fieldErrors).toEqual({
        rule: ['A rule needs a group_rule_definition_id or an inline rule.'],
      });
    });

    it.each<[string, RuleDefinitionState | null]>([
      ['not loaded', null],
      ['another one', VISITS],
      [
        'deleted',
        evolveRuleDefinition(SPEND, {
          type: 'RuleDefinitionDeleted',
          data: { rule_definition_id: 3, handle: 'minimum-spend', deleted_at: ADDED_AT },
        }),
      ],
    ])('refuses a template that is %s', (_case, loaded) => {
      const error = refusal(
        given(groupCreated({ arguments: { minimum: 1 } })),
        add(attributes(), loaded),
      );

      expect(error.fieldErrors).toEqual({
        group_rule_definition_id: ['Rule definition 3 not found.'],
      });
    });

    it('refuses a required argument that neither the rule, the group nor the template gives', () => {
      const error = refusal(given(groupCreated()), add(attributes()));

      expect(error.code).toBe('validation_failed');
      expect(error.fieldErrors['arguments.minimum']).toEqual([
        'The argument "minimum" is required.',
      ]);
    });

    it('refuses argument values of the wrong type, each at its name', () => {
      const rule = attributes({
        arguments: [
          { name: 'minimum', value: '1000' },
          { name: 'tiers', value: 'gold' },
        ],
      });
      const error = refusal(given(groupCreated()), add(rule));

      expect(error.fieldErrors['arguments.minimum']).toEqual([
        'The argument "minimum" must be of type number.',
      ]);
      expect(error.fieldErrors['arguments.tiers']).toEqual([
        'The argument "tiers" must be of type array.',
      ]);
    });

    it('refuses a value for an argument the template does not declare', () => {
      const rule = attributes({
        arguments: [
          { name: 'minimum', value: 1000 },
          { name: 'region', value: 'EU' },
        ],
      });

      expect(refusal(given(groupCreated()), add(rule)).fieldErrors).toEqual({
        'arguments.region': ['There is no argument "region".'],
      });
    });

    it('refuses an argument given twice, at its later place, instead of the last one winning', () => {
      const rule = attributes({
        arguments: [
          { name: 'minimum', value: 1000 },
          { name: 'tiers', value: ['gold'] },
          { name: 'minimum', value: 5 },
        ],
      });
      const error = refusal(given(groupCreated()), add(rule));

      expect(error.code).toBe('validation_failed');
      expect(error.fieldErrors).toEqual({
        'arguments.2.name': ['The argument "minimum" is given more than once.'],
      });
      expect(error.fieldCodes).toEqual({ 'arguments.2.name': ['duplicate_argument'] });
    });

    it('keeps a value named __proto__ a plain unknown argument, never a prototype', () => {
      const rule = attributes({
        arguments: [
          { name: 'minimum', value: 1000 },
          { name: '__proto__', value: { tiers: ['silver'] } },
        ],
      });
      const error = refusal(given(groupCreated()), add(rule));

      expect(error.fieldCodes).toEqual({ 'arguments.__proto__': ['unknown_argument'] });
    });

    it('reads an argument named like an Object.prototype member as its own value', () => {
      const named = template(8, {
        ...VISITS_TEMPLATE,
        handle: 'named',
        rule: { '>=': [{ var: 'visits' }, { arg: 'toString' }] },
        arguments: [{ name: 'toString', type: 'integer', required: false, default: 2 }],
      });
      const events = decideGroupRule(
        given(groupCreated()),
        add(attributes({ group_rule_definition_id: 8 }), named),
      );
      const { arguments: used, rule } = effectiveOf(events);

      expect(rule).toEqual({ '>=': [{ var: 'visits' }, 2] });
      expect(Object.getPrototypeOf(used)).toBe(Object.prototype);
      expect(Object.entries(used)).toEqual([['toString', 2]]);
    });

    it('refuses an argument value of 1e400, which would be stored as null', () => {
      const rule = attributes({
        arguments: JSON.parse(
          '[{"name": "minimum", "value": 1e400}]',
        ) as GroupRuleAttributes['arguments'],
      });
      const error = refusal(given(groupCreated()), add(rule));

      expect(error.fieldCodes).toEqual({ 'arguments.minimum': ['non_finite_number'] });
    });

    it.each(['static', 'favourite'] as const)('refuses rules on a %s group', (type) => {
      const group = given(
        groupCreated({ type, source_type: type === 'favourite' ? 'friend' : null }),
      );
      const error = refusal(group, add(INLINE_GOLD, null));

      expect(error.code).toBe('wrong_group_type');
      expect(error.message).toBe(`A ${type} group has no rules.`);
    });
  });

  describe('ChangeGroupRule', () => {
    const spendRule1 = attributes({ arguments: [{ name: 'minimum', value: 1000 }] });
    const withRule = () =>
      given(groupCreated(), ruleAdded(1, spendRule1, spendEffective(1000, ['gold'])));

    it('emits RuleChanged with the next rule version, cause edited and the new effective rule', () => {
      const values = [
        { name: 'minimum', value: 2000 },
        { name: 'tiers', value: ['platinum'] },
      ];

      expect(decideGroupRule(withRule(), change(1, { arguments: values }))).toEqual([
        {
          type: 'RuleChanged',
          data: {
            group_definition_id: 21,
            rule_id: 1,
            rule_version: 2,
            cause: 'edited',
            changes: { arguments: values },
            effective: spendEffective(2000, ['platinum']),
            changed_at: NOW.toISOString(),
          },
        },
      ]);
    });

    it('counts on from the version the last change left', () => {
      const group = given(
        groupCreated(),
        ruleAdded(1, spendRule1, spendEffective(1000, ['gold'])),
        ruleChanged(1, 2, { is_active: false }, spendEffective(1000, ['gold'])),
      );
      const events = decideGroupRule(group, change(1, { is_active: true, name: 'Back on' }));

      expect(events).toMatchObject([
        {
          type: 'RuleChanged',
          data: { rule_version: 3, cause: 'edited', changes: { is_active: true, name: 'Back on' } },
        },
      ]);
    });

    it('emits nothing when every attribute given already has that value', () => {
      const events = decideGroupRule(
        withRule(),
        change(1, {
          arguments: [{ value: 1000, name: 'minimum' }],
          type: 'inclusion',
          sort_order: 10,
          name: undefined,
        }),
      );

      expect(events).toEqual([]);
    });

    it('turns a template rule into an inline one', () => {
      const events = decideGroupRule(
        withRule(),
        change(
          1,
          {
            group_rule_definition_id: null,
            rule: { '==': [{ var: 'tier' }, 'gold'] },
            arguments: [],
          },
          null,
        ),
      );

      expect(effectiveOf(events)).toEqual({
        handle: null,
        evaluator: 'jsonlogic',
        rule: { '==': [{ var: 'tier' }, 'gold'] },
        name: null,
        arguments: {},
        rule_definition_version: null,
      });
    });

    it('refuses a change that leaves the rule unresolvable', () => {
      const error = refusal(
        withRule(),
        change(1, { arguments: [{ name: 'minimum', value: true }] }),
      );

      expect(error.code).toBe('validation_failed');
      expect(error.fieldErrors['arguments.minimum']).toEqual([
        'The argument "minimum" must be of type number.',
      ]);
    });

    it('refuses a rule the group does not have with rule_not_found', () => {
      const error = refusal(withRule(), change(9, { name: 'Nine' }));

      expect(error.code).toBe('rule_not_found');
      expect(error.message).toBe('Group 21 has no rule 9.');
    });
  });

  describe('RemoveGroupRule', () => {
    it('emits GroupRuleRemoved with the version after the last one', () => {
      const group = given(
        groupCreated(),
        ruleAdded(1, INLINE_GOLD, INLINE_GOLD_EFFECTIVE),
        ruleChanged(1, 2, { sort_order: 4 }, INLINE_GOLD_EFFECTIVE),
      );

      expect(decideGroupRule(group, { kind: 'RemoveGroupRule', ruleId: 1, now: NOW })).toEqual([
        {
          type: 'GroupRuleRemoved',
          data: {
            group_definition_id: 21,
            rule_id: 1,
            rule_version: 3,
            removed_at: NOW.toISOString(),
          },
        },
      ]);
    });

    it('refuses a rule the group does not have with rule_not_found', () => {
      const error = refusal(given(groupCreated()), {
        kind: 'RemoveGroupRule',
        ruleId: 2,
        now: NOW,
      });

      expect(error.code).toBe('rule_not_found');
    });
  });

  describe('ReresolveGroupRules', () => {
    const ownTiers = attributes({
      arguments: [
        { name: 'minimum', value: 200 },
        { name: 'tiers', value: ['silver'] },
      ],
    });
    const defaultTiers = attributes({ arguments: [{ name: 'minimum', value: 1000 }] });
    const visits = attributes({ group_rule_definition_id: 4 });
    const visitsEffective: EffectiveRule = {
      handle: 'frequent-visitor',
      evaluator: 'jsonlogic',
      rule: { '>=': [{ var: 'visits' }, 3] },
      name: 'Frequent visitor',
      arguments: { visits: 3 },
      rule_definition_version: 1,
    };
    const group = given(
      groupCreated(),
      ruleAdded(1, defaultTiers, spendEffective(1000, ['gold'])),
      ruleAdded(2, ownTiers, spendEffective(200, ['silver'])),
      ruleAdded(3, visits, visitsEffective),
      ruleAdded(4, INLINE_GOLD, INLINE_GOLD_EFFECTIVE),
    );

    function reresolve(changed: RuleDefinitionState): GroupDefinitionEvent[] {
      return decideGroupRule(group, { kind: 'ReresolveGroupRules', template: changed, now: NOW });
    }

    it('emits RuleChanged, cause rule_definition_changed, for each rule using the template', () => {
      const changed = template(3, SPEND_TEMPLATE, {
        arguments: [
          { name: 'minimum', type: 'number', required: true },
          { name: 'tiers', type: 'array', required: false, default: ['gold', 'platinum'] },
        ],
      });

      expect(reresolve(changed)).toEqual([
        {
          type: 'RuleChanged',
          data: {
            group_definition_id: 21,
            rule_id: 1,
            rule_version: 2,
            cause: 'rule_definition_changed',
            changes: {},
            effective: spendEffective(1000, ['gold', 'platinum'], 2),
            changed_at: NOW.toISOString(),
          },
        },
        {
          type: 'RuleChanged',
          data: {
            group_definition_id: 21,
            rule_id: 2,
            rule_version: 2,
            cause: 'rule_definition_changed',
            changes: {},
            effective: spendEffective(200, ['silver'], 2),
            changed_at: NOW.toISOString(),
          },
        },
      ]);
    });

    it('leaves only the rules of the other template when that one changed', () => {
      const changed = template(4, VISITS_TEMPLATE, {
        arguments: [{ name: 'visits', type: 'integer', required: true, default: 6 }],
      });
      const events = reresolve(changed);

      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'RuleChanged',
        data: {
          rule_id: 3,
          effective: {
            rule: { '>=': [{ var: 'visits' }, 6] },
            arguments: { visits: 6 },
            rule_definition_version: 2,
          },
        },
      });
    });

    it('keeps the previous version of a rule the new template no longer resolves', () => {
      const changed = template(3, SPEND_TEMPLATE, {
        arguments: [
          { name: 'minimum', type: 'number', required: true },
          { name: 'tiers', type: 'array', required: true },
        ],
      });
      const events = reresolve(changed);

      expect(events.map((event) => event.type === 'RuleChanged' && event.data.rule_id)).toEqual([
        2,
      ]);
    });

    it('emits nothing for the template version the rules already resolved', () => {
      expect(reresolve(SPEND)).toEqual([]);
    });
  });
});

describe('UpdateGroupDefinition of default arguments', () => {
  const fromGroup = attributes();
  const ownMinimum = attributes({ arguments: [{ name: 'minimum', value: 900 }] });
  const inlineVisits = attributes({
    group_rule_definition_id: null,
    rule: { '>=': [{ var: 'visits' }, { arg: 'visits' }] },
  });
  const inlineEffective = (value: number): EffectiveRule => ({
    handle: null,
    evaluator: 'jsonlogic',
    rule: { '>=': [{ var: 'visits' }, value] },
    name: null,
    arguments: { visits: value },
    rule_definition_version: null,
  });
  const group = given(
    groupCreated({ arguments: { minimum: 250, visits: 2 } }),
    ruleAdded(1, fromGroup, spendEffective(250, ['gold'])),
    ruleAdded(2, ownMinimum, spendEffective(900, ['gold'])),
    ruleAdded(3, inlineVisits, inlineEffective(2)),
  );

  function updateArguments(
    value: JsonObject | null,
    templates: ReadonlyMap<number, RuleDefinitionState> = new Map([[3, SPEND]]),
  ) {
    return {
      kind: 'UpdateGroupDefinition' as const,
      changes: { arguments: value },
      flags: {},
      templates,
      now: NOW,
    };
  }

  function refusedUpdate(command: ReturnType<typeof updateArguments>): DomainError {
    try {
      decideGroupDefinition(group, command);
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
    throw new Error('expected the update to be refused');
  }

  it('re-resolves the rules that take a default, with cause arguments_changed', () => {
    const events = decideGroupDefinition(group, updateArguments({ minimum: 400, visits: 7 }));

    expect(events).toEqual([
      {
        type: 'GroupDefinitionUpdated',
        data: {
          group_definition_id: 21,
          changes: { arguments: { minimum: 400, visits: 7 } },
          updated_at: NOW.toISOString(),
        },
      },
      {
        type: 'RuleChanged',
        data: {
          group_definition_id: 21,
          rule_id: 1,
          rule_version: 2,
          cause: 'arguments_changed',
          changes: {},
          effective: spendEffective(400, ['gold']),
          changed_at: NOW.toISOString(),
        },
      },
      {
        type: 'RuleChanged',
        data: {
          group_definition_id: 21,
          rule_id: 3,
          rule_version: 2,
          cause: 'arguments_changed',
          changes: {},
          effective: inlineEffective(7),
          changed_at: NOW.toISOString(),
        },
      },
    ]);
  });

  it('refuses with 422 on arguments when a rule would no longer resolve', () => {
    const error = refusedUpdate(updateArguments({ visits: 2 }));

    expect(error.code).toBe('validation_failed');
    expect(Object.keys(error.fieldErrors)).toEqual(['arguments']);
    expect(error.fieldErrors.arguments).toEqual([
      expect.stringMatching(/^rule 1: The argument "minimum" is required\./),
    ]);
  });

  it('names every rule that would no longer resolve', () => {
    const error = refusedUpdate(updateArguments(null));

    expect(error.fieldErrors.arguments).toEqual([
      expect.stringMatching(/^rule 1: The argument "minimum" is required\./),
      expect.stringMatching(/^rule 3: The argument "visits" is required\./),
    ]);
  });

  it('refuses when a template the rules use was not supplied', () => {
    const error = refusedUpdate(updateArguments({ minimum: 400, visits: 2 }, new Map()));

    expect(error.fieldErrors.arguments).toEqual([
      'rule 1: Rule definition 3 not found.',
      'rule 2: Rule definition 3 not found.',
    ]);
  });
});

describe('evolveGroupDefinition with rules', () => {
  it('keeps the rules in sort order, then id, and re-sorts when a rule moves', () => {
    const effective = spendEffective(1, ['gold']);
    const added = given(
      groupCreated(),
      ruleAdded(1, attributes({ sort_order: 20 }), effective),
      ruleAdded(2, attributes({ sort_order: 10 }), effective),
      ruleAdded(3, attributes({ sort_order: 10 }), effective),
    );

    expect(added.rules.map((rule) => rule.id)).toEqual([2, 3, 1]);

    const moved = [
      ruleChanged(1, 2, { sort_order: 5 }, effective),
    ].reduce<GroupDefinitionState | null>(evolveGroupDefinition, added);

    expect(moved?.rules.map((rule) => [rule.id, rule.version, rule.attributes.sort_order])).toEqual(
      [
        [1, 2, 5],
        [2, 1, 10],
        [3, 1, 10],
      ],
    );
  });

  it('drops a removed rule and counts every event in the group version', () => {
    const effective = spendEffective(1, ['gold']);
    const state = given(
      groupCreated(),
      ruleAdded(1, attributes(), effective),
      ruleAdded(2, attributes(), effective),
      {
        type: 'GroupRuleRemoved',
        data: { group_definition_id: 21, rule_id: 1, rule_version: 2, removed_at: ADDED_AT },
      },
    );

    expect(state.rules.map((rule) => rule.id)).toEqual([2]);
    expect(state.version).toBe(4);
  });

  it('keeps the attributes, effective rule and times a RuleChanged carries', () => {
    const before = spendEffective(1000, ['gold']);
    const after = spendEffective(1500, ['gold']);
    const state = given(
      groupCreated(),
      ruleAdded(1, attributes({ arguments: [{ name: 'minimum', value: 1000 }] }), before),
      {
        type: 'RuleChanged',
        data: {
          group_definition_id: 21,
          rule_id: 1,
          rule_version: 2,
          cause: 'edited',
          changes: { arguments: [{ name: 'minimum', value: 1500 }] },
          effective: after,
          changed_at: NOW.toISOString(),
        },
      },
    );

    expect(state.rules).toEqual([
      {
        id: 1,
        attributes: attributes({ arguments: [{ name: 'minimum', value: 1500 }] }),
        version: 2,
        effective: after,
        created_at: ADDED_AT,
        updated_at: NOW.toISOString(),
      },
    ]);
  });
});

describe('inline rule validation paths', () => {
  it.each<[JsonValue, string, string]>([
    [
      { in: [{ var: 'tier' }, 5] },
      'rule.in.1',
      '"in" looks in an array or a string; against anything else it is false.',
    ],
    [{ '==': [{ var: true }, 5] }, 'rule.==.0.var', 'A var path is a string or a number.'],
  ])(
    'files a malformed operand of inline rule %j under rule, not arguments',
    (rule, path, message) => {
      const inline = attributes({ group_rule_definition_id: null, rule });
      const error = refusal(given(groupCreated()), add(inline, null));

      expect(error.fieldErrors).toEqual({ [path]: [message] });
    },
  );
});
