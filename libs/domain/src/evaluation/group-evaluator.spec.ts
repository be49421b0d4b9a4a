import {
  type EffectiveRule,
  type GroupDefinitionEvent,
  type JsonValue,
  type RuleType,
} from '@profile-groups/contracts';

import {
  evolveGroupDefinition,
  type GroupDefinitionState,
} from '../group-definition/group-definition.state';
import { GroupEvaluator } from './group-evaluator';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');

const IN_NZ: JsonValue = { '==': [{ var: 'country' }, 'NZ'] };
const GOLD: JsonValue = { '==': [{ var: 'tier' }, 'gold'] };
const BIG_SPENDER: JsonValue = { '>=': [{ var: 'lifetime_spend' }, 1000] };
const OPTED_OUT: JsonValue = { '==': [{ var: 'opted_out' }, true] };
const JOINED_THIS_MONTH: JsonValue = { '<=': [{ days_since: { var: 'joined_at' } }, 30] };
const LAPSED: JsonValue = { '>=': [{ days_since: { var: 'last_order_at' } }, 90] };

interface RuleSpec {
  readonly id: number;
  readonly type: RuleType;
  readonly rule: JsonValue;
  readonly isActive?: boolean;
  readonly sortOrder?: number;
}

function effective(rule: JsonValue): EffectiveRule {
  return {
    handle: null,
    evaluator: 'jsonlogic',
    rule,
    name: null,
    arguments: {},
    rule_definition_version: null,
  };
}

function ruleAdded(spec: RuleSpec): GroupDefinitionEvent {
  return {
    type: 'GroupRuleAdded',
    data: {
      group_definition_id: 41,
      rule_id: spec.id,
      rule: {
        group_rule_definition_id: null,
        rule: spec.rule,
        type: spec.type,
        name: null,
        arguments: [],
        sort_order: spec.sortOrder ?? spec.id * 10,
        is_active: spec.isActive ?? true,
        meta: null,
      },
      rule_version: 1,
      effective: effective(spec.rule),
      added_at: '2026-03-01T00:00:00.000Z',
    },
  };
}

function dynamicGroup(query: JsonValue, ...rules: RuleSpec[]): GroupDefinitionState {
  const created: GroupDefinitionEvent = {
    type: 'GroupDefinitionCreated',
    data: {
      group_definition_id: 41,
      definition: {
        name: 'Engaged NZ customers',
        handle: 'engaged-nz',
        type: 'dynamic',
        source_type: null,
        source_id: null,
        query,
        query_type: query === null ? null : 'jsonlogic',
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
      },
      flags: { is_published: true, is_active: true, is_archived: false },
      created_at: '2026-03-01T00:00:00.000Z',
    },
  };
  const state = [created, ...rules.map(ruleAdded)].reduce<GroupDefinitionState | null>(
    evolveGroupDefinition,
    null,
  );
  if (state === null) throw new Error('group did not fold');

  return state;
}

const GOLD_RULE: RuleSpec = { id: 1, type: 'inclusion', rule: GOLD };
const SPEND_RULE: RuleSpec = { id: 2, type: 'inclusion', rule: BIG_SPENDER };
const OPT_OUT_RULE: RuleSpec = { id: 3, type: 'exclusion', rule: OPTED_OUT };

const ALICE = { country: 'NZ', tier: 'gold', lifetime_spend: 1500, opted_out: false };
const BEN = { country: 'AU', tier: 'gold', lifetime_spend: 1500, opted_out: false };
const CARA = { country: 'NZ', tier: 'silver', lifetime_spend: 200, opted_out: false };
const DAN = { country: 'NZ', tier: 'silver', lifetime_spend: 5000, opted_out: true };

describe('GroupEvaluator', () => {
  describe('evaluate', () => {
    const evaluator = new GroupEvaluator(dynamicGroup(IN_NZ, GOLD_RULE, SPEND_RULE, OPT_OUT_RULE));

    it.each([
      ['in the query, an inclusion matched, no exclusion', ALICE, true, 'included', [1, 2]],
      ['outside the query', BEN, false, 'query_not_satisfied', [1, 2]],
      ['in the query, no inclusion matched', CARA, false, 'no_inclusion_rule_matched', []],
      [
        'in the query, an inclusion and an exclusion matched',
        DAN,
        false,
        'excluded_by_rule',
        [2, 3],
      ],
    ])('a profile %s', (_case, data, included, reason, matchedRuleIds) => {
      expect(evaluator.evaluate(data, NOW)).toEqual({
        included,
        reason,
        matchedRuleIds,
        nextChange: null,
        errors: [],
      });
    });

    it('without a query, takes the rules alone', () => {
      const noQuery = new GroupEvaluator(dynamicGroup(null, GOLD_RULE, OPT_OUT_RULE));

      expect(noQuery.evaluate(BEN, NOW)).toMatchObject({ included: true, reason: 'included' });
    });

    it('ignores an inactive exclusion rule, which matches nothing', () => {
      const inactive = new GroupEvaluator(
        dynamicGroup(IN_NZ, GOLD_RULE, SPEND_RULE, { ...OPT_OUT_RULE, isActive: false }),
      );

      expect(inactive.evaluate(DAN, NOW)).toEqual({
        included: true,
        reason: 'included',
        matchedRuleIds: [2],
        nextChange: null,
        errors: [],
      });
    });

    it('includes nobody while no inclusion rule is active, even one the profile satisfies', () => {
      const dormant = new GroupEvaluator(
        dynamicGroup(IN_NZ, { ...GOLD_RULE, isActive: false }, OPT_OUT_RULE),
      );

      expect(dormant.evaluate(ALICE, NOW)).toEqual({
        included: false,
        reason: 'no_active_inclusion_rule',
        matchedRuleIds: [],
        nextChange: null,
        errors: [],
      });
    });

    it.each([
      ['only exclusion rules', [OPT_OUT_RULE]],
      ['no rules', []],
    ])('includes nobody with %s', (_case, rules) => {
      const outcome = new GroupEvaluator(dynamicGroup(IN_NZ, ...rules)).evaluate(ALICE, NOW);

      expect(outcome).toMatchObject({ included: false, reason: 'no_active_inclusion_rule' });
    });

    it('gives the query as the reason before the missing inclusion rule', () => {
      const outcome = new GroupEvaluator(dynamicGroup(IN_NZ, OPT_OUT_RULE)).evaluate(BEN, NOW);

      expect(outcome.reason).toBe('query_not_satisfied');
    });

    it('lists matched rules in sort order, not id order', () => {
      const reordered = new GroupEvaluator(
        dynamicGroup(
          null,
          { ...GOLD_RULE, sortOrder: 30 },
          { ...SPEND_RULE, sortOrder: 20 },
          { ...OPT_OUT_RULE, sortOrder: 10 },
        ),
      );

      expect(reordered.evaluate({ ...ALICE, opted_out: true }, NOW).matchedRuleIds).toEqual([
        3, 2, 1,
      ]);
    });

    it('does not match a rule whose evaluation fails', () => {
      const dynamicPath: RuleSpec = {
        id: 4,
        type: 'inclusion',
        rule: { '==': [{ var: { cat: ['__', 'proto__'] } }, 1] },
      };
      const outcome = new GroupEvaluator(dynamicGroup(null, dynamicPath)).evaluate(ALICE, NOW);

      expect(outcome).toEqual({
        included: false,
        reason: 'no_inclusion_rule_matched',
        matchedRuleIds: [],
        nextChange: null,
        errors: [
          { ruleId: 4, code: 'unsafe_path', message: 'The path "__proto__" is not allowed.' },
        ],
      });
    });
  });

  describe('a rule past the evaluation budget', () => {
    // Nested iterations over a profile's own arrays: 600 x 600 items, over the budget.
    const COSTLY: JsonValue = {
      some: [{ var: 'rows' }, { some: [{ var: '' }, { '==': [{ var: '' }, -1] }] }],
    };
    const rows = Array.from({ length: 600 }, () => Array.from({ length: 600 }, (_, i) => i));
    const heavy = { ...ALICE, rows };
    const budget = {
      code: 'budget_exceeded',
      message: expect.stringContaining('evaluation budget') as unknown,
    };

    it('does not include by a costly inclusion rule, and says why', () => {
      const evaluator = new GroupEvaluator(
        dynamicGroup(null, GOLD_RULE, { id: 6, type: 'inclusion', rule: COSTLY }),
      );

      expect(evaluator.evaluate(heavy, NOW)).toEqual({
        included: true,
        reason: 'included',
        matchedRuleIds: [1],
        nextChange: null,
        errors: [{ ruleId: 6, ...budget }],
      });
      expect(evaluator.evaluate(ALICE, NOW).errors).toEqual([]);
    });

    it('does not exclude by a costly exclusion rule, nor include by a costly query', () => {
      const excluding = new GroupEvaluator(
        dynamicGroup(null, GOLD_RULE, { id: 6, type: 'exclusion', rule: COSTLY }),
      );
      expect(excluding.evaluate(heavy, NOW)).toMatchObject({
        included: true,
        errors: [{ ruleId: 6, ...budget }],
      });
      const querying = new GroupEvaluator(dynamicGroup(COSTLY, GOLD_RULE));
      expect(querying.evaluate(heavy, NOW)).toMatchObject({
        included: false,
        reason: 'query_not_satisfied',
        errors: [{ ruleId: null, ...budget }],
      });
    });

    it('shows the error and its code in explain', () => {
      const evaluator = new GroupEvaluator(
        dynamicGroup(COSTLY, { id: 6, type: 'inclusion', rule: COSTLY }),
      );
      const explained = evaluator.explain(heavy, NOW);

      expect(explained.query).toMatchObject({ matched: false, error_code: 'budget_exceeded' });
      expect(explained.rules[0]).toMatchObject({
        id: 6,
        matched: false,
        error: expect.stringContaining('evaluation budget') as unknown,
        error_code: 'budget_exceeded',
      });
    });

    it('compiles a stored rule the cost check would now refuse, and stops it per profile', () => {
      const range = Array.from({ length: 800 }, (_, i) => i);
      const nested: JsonValue = { all: [range, { all: [range, { all: [range, true] }] }] };
      const evaluator = new GroupEvaluator(
        dynamicGroup(null, GOLD_RULE, { id: 7, type: 'exclusion', rule: nested }),
      );

      expect(evaluator.evaluate(ALICE, NOW)).toMatchObject({
        included: true,
        errors: [{ ruleId: 7, ...budget }],
      });
    });

    it('counts the steps of every evaluation into the usage it is given', () => {
      const evaluator = new GroupEvaluator(dynamicGroup(IN_NZ, GOLD_RULE));
      const usage = { steps: 0 };
      evaluator.evaluate(ALICE, NOW, { usage });
      evaluator.evaluate(BEN, NOW, { usage });

      // Two evaluations of two four-node rules.
      expect(usage.steps).toBe(16);
    });

    it('skips nextChange when asked to', () => {
      const evaluator = new GroupEvaluator(
        dynamicGroup(null, { id: 5, type: 'inclusion', rule: JOINED_THIS_MONTH }),
      );
      const joined = { joined_at: '2026-03-01T00:00:00.000Z' };

      expect(evaluator.evaluate(joined, NOW).nextChange).not.toBeNull();
      expect(evaluator.evaluate(joined, NOW, { nextChange: false }).nextChange).toBeNull();
    });
  });

  describe('ruleVersions', () => {
    it('records each rule version and the template version it was resolved from', () => {
      const state = dynamicGroup(null, GOLD_RULE);
      const fromTemplate: GroupDefinitionEvent = {
        type: 'GroupRuleAdded',
        data: {
          group_definition_id: 41,
          rule_id: 2,
          rule: {
            group_rule_definition_id: 6,
            rule: null,
            type: 'inclusion',
            name: null,
            arguments: [{ name: 'minimum', value: 1000 }],
            sort_order: 20,
            is_active: true,
            meta: null,
          },
          rule_version: 1,
          effective: {
            ...effective(BIG_SPENDER),
            handle: 'minimum-spend',
            rule_definition_version: 4,
          },
          added_at: '2026-03-02T00:00:00.000Z',
        },
      };
      const changed: GroupDefinitionEvent = {
        type: 'RuleChanged',
        data: {
          group_definition_id: 41,
          rule_id: 2,
          rule_version: 2,
          cause: 'rule_definition_changed',
          changes: {},
          effective: {
            ...effective(BIG_SPENDER),
            handle: 'minimum-spend',
            rule_definition_version: 5,
          },
          changed_at: '2026-03-03T00:00:00.000Z',
        },
      };
      const latest = [fromTemplate, changed].reduce<GroupDefinitionState | null>(
        evolveGroupDefinition,
        state,
      );
      if (latest === null) throw new Error('group did not fold');
      const evaluator = new GroupEvaluator(latest);

      expect(evaluator.groupId).toBe(41);
      expect(evaluator.definitionVersion).toBe(4);
      expect(evaluator.ruleVersions).toEqual([
        { rule_id: 1, rule_version: 1, rule_definition_id: null, rule_definition_version: null },
        { rule_id: 2, rule_version: 2, rule_definition_id: 6, rule_definition_version: 5 },
      ]);
    });
  });

  describe('time', () => {
    const RECENT: RuleSpec = { id: 5, type: 'inclusion', rule: JOINED_THIS_MONTH };
    const LAPSED_RULE: RuleSpec = { id: 6, type: 'exclusion', rule: LAPSED };
    const joinedMarch = { joined_at: '2026-03-01T00:00:00.000Z' };
    const thirtyOneDaysLater = Date.parse('2026-04-01T00:00:00.000Z');

    it('gives the instant a days_since rule stops matching as the next change', () => {
      const evaluator = new GroupEvaluator(dynamicGroup(null, RECENT));

      expect(evaluator.usesTime).toBe(true);
      expect(evaluator.evaluate(joinedMarch, NOW)).toEqual({
        included: true,
        reason: 'included',
        matchedRuleIds: [5],
        nextChange: thirtyOneDaysLater,
        errors: [],
      });
    });

    it('gives an outcome that holds until the next change and flips at it', () => {
      const evaluator = new GroupEvaluator(dynamicGroup(null, RECENT));

      expect(evaluator.evaluate(joinedMarch, thirtyOneDaysLater - 1).included).toBe(true);
      expect(evaluator.evaluate(joinedMarch, thirtyOneDaysLater)).toMatchObject({
        included: false,
        reason: 'no_inclusion_rule_matched',
        nextChange: null,
      });
    });

    it('gives no next change once time can only keep the profile out', () => {
      const evaluator = new GroupEvaluator(dynamicGroup(null, RECENT));

      expect(evaluator.evaluate({ joined_at: '2026-01-01T00:00:00.000Z' }, NOW)).toMatchObject({
        included: false,
        nextChange: null,
      });
    });

    it('takes the earliest change of all time-dependent rules, exclusions included', () => {
      const evaluator = new GroupEvaluator(dynamicGroup(null, RECENT, LAPSED_RULE));
      const data = { ...joinedMarch, last_order_at: '2025-12-20T00:00:00.000Z' };

      expect(evaluator.evaluate(data, NOW).nextChange).toBe(Date.parse('2026-03-20T00:00:00.000Z'));
    });

    it('takes a time-dependent query into account', () => {
      const evaluator = new GroupEvaluator(dynamicGroup(JOINED_THIS_MONTH, GOLD_RULE));

      expect(evaluator.usesTime).toBe(true);
      expect(evaluator.evaluate({ ...joinedMarch, tier: 'gold' }, NOW)).toEqual({
        included: true,
        reason: 'included',
        matchedRuleIds: [1],
        nextChange: thirtyOneDaysLater,
        errors: [],
      });
    });

    it('does not depend on time when the only time-dependent rule is inactive', () => {
      const evaluator = new GroupEvaluator(
        dynamicGroup(null, GOLD_RULE, { ...RECENT, isActive: false }),
      );

      expect(evaluator.usesTime).toBe(false);
      expect(evaluator.evaluate({ ...joinedMarch, tier: 'gold' }, NOW).nextChange).toBeNull();
    });
  });

  describe('explain', () => {
    it('gives the outcome, the query trace and every rule, inactive ones too, with its trace', () => {
      const evaluator = new GroupEvaluator(
        dynamicGroup(IN_NZ, GOLD_RULE, { ...OPT_OUT_RULE, isActive: false }),
      );

      expect(evaluator.explain(ALICE, NOW)).toEqual({
        outcome: {
          included: true,
          reason: 'included',
          matchedRuleIds: [1],
          nextChange: null,
          errors: [],
        },
        query: {
          matched: true,
          trace: {
            op: '==',
            value: true,
            args: [
              { op: 'var', value: 'NZ', args: [{ op: 'literal', value: 'country' }] },
              { op: 'literal', value: 'NZ' },
            ],
          },
        },
        rules: [
          {
            id: 1,
            type: 'inclusion',
            is_active: true,
            matched: true,
            effective: effective(GOLD),
            trace: {
              op: '==',
              value: true,
              args: [
                { op: 'var', value: 'gold', args: [{ op: 'literal', value: 'tier' }] },
                { op: 'literal', value: 'gold' },
              ],
            },
          },
          {
            id: 3,
            type: 'exclusion',
            is_active: false,
            matched: false,
            effective: effective(OPTED_OUT),
            trace: {
              op: '==',
              value: false,
              args: [
                { op: 'var', value: false, args: [{ op: 'literal', value: 'opted_out' }] },
                { op: 'literal', value: true },
              ],
            },
          },
        ],
      });
    });

    it('gives no query part for a group without a query', () => {
      expect(new GroupEvaluator(dynamicGroup(null, GOLD_RULE)).explain(CARA, NOW).query).toBeNull();
    });

    it('says why a rule failed to evaluate', () => {
      const dynamicPath: RuleSpec = {
        id: 4,
        type: 'inclusion',
        rule: { '==': [{ var: { cat: ['__', 'proto__'] } }, 1] },
      };
      const [explained] = new GroupEvaluator(dynamicGroup(null, dynamicPath)).explain(
        ALICE,
        NOW,
      ).rules;

      expect(explained).toMatchObject({
        id: 4,
        matched: false,
        error: 'The path "__proto__" is not allowed.',
      });
    });
  });

  describe('determinism', () => {
    const profiles = [ALICE, BEN, CARA, DAN, { ...CARA, tier: 'gold', opted_out: true }];

    it('gives the same outcomes for the same data and rules however the rules were added', () => {
      const forward = new GroupEvaluator(dynamicGroup(IN_NZ, GOLD_RULE, SPEND_RULE, OPT_OUT_RULE));
      const backward = new GroupEvaluator(dynamicGroup(IN_NZ, OPT_OUT_RULE, SPEND_RULE, GOLD_RULE));
      const outcomes = profiles.map((data) => forward.evaluate(data, NOW));

      expect(profiles.map((data) => backward.evaluate(data, NOW))).toEqual(outcomes);
      expect(outcomes.map((outcome) => outcome.included)).toEqual([
        true,
        false,
        false,
        false,
        false,
      ]);
    });

    it('gives the same outcome every time it evaluates the same profile', () => {
      const evaluator = new GroupEvaluator(
        dynamicGroup(null, { id: 5, type: 'inclusion', rule: JOINED_THIS_MONTH }, OPT_OUT_RULE),
      );
      const data = { joined_at: '2026-03-01T00:00:00.000Z', opted_out: false };
      const first = evaluator.evaluate(data, NOW);

      expect(evaluator.evaluate(data, NOW)).toEqual(first);
      expect(evaluator.explain(data, NOW).outcome).toEqual(first);
    });
  });
});
