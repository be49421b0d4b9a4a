import {
  type EffectiveRule,
  type EnvelopeOf,
  type GroupDefinitionEvent,
  groupDefinitionStream,
  type GroupRuleAttributes,
} from '@profile-groups/contracts';
import { groupAttributes } from '@profile-groups/testing';

import { projectGroupDefinition } from './projections';
import { type GroupDefinitionView } from './views';

type DefinitionEnvelope = EnvelopeOf<GroupDefinitionEvent>;

function at<E extends GroupDefinitionEvent>(streamVersion: number, event: E): DefinitionEnvelope {
  return {
    id: `event-${streamVersion}`,
    type: event.type,
    schema_version: 1,
    stream: groupDefinitionStream(8),
    stream_version: streamVersion,
    time: '2026-04-01T00:00:00.000Z',
    correlation_id: 'corr',
    causation_id: null,
    actor: null,
    data: event.data,
  } as DefinitionEnvelope;
}

function project(...events: DefinitionEnvelope[]): GroupDefinitionView | null {
  return events.reduce<GroupDefinitionView | null>(
    (view, event) => projectGroupDefinition(view, event) ?? view,
    null,
  );
}

const created = at(1, {
  type: 'GroupDefinitionCreated',
  data: {
    group_definition_id: 8,
    definition: groupAttributes({ name: 'Tiers', handle: 'tiers', type: 'dynamic' }),
    flags: { is_published: false, is_active: true, is_archived: false },
    created_at: '2026-04-01T09:00:00.000Z',
  },
});

const tierRule = { in: [{ var: 'tier' }, ['gold', 'platinum']] };

function effective(rule: unknown, version: number | null): EffectiveRule {
  return {
    handle: version === null ? null : 'tier-in',
    evaluator: 'jsonlogic',
    rule: rule as EffectiveRule['rule'],
    name: null,
    arguments: {},
    rule_definition_version: version,
  };
}

function added(
  streamVersion: number,
  ruleId: number,
  rule: Partial<GroupRuleAttributes>,
): DefinitionEnvelope {
  return at(streamVersion, {
    type: 'GroupRuleAdded',
    data: {
      group_definition_id: 8,
      rule_id: ruleId,
      rule: {
        group_rule_definition_id: null,
        rule: null,
        type: 'inclusion',
        name: null,
        arguments: [],
        sort_order: 0,
        is_active: true,
        meta: null,
        ...rule,
      },
      rule_version: 1,
      effective: effective(tierRule, rule.group_rule_definition_id ? 2 : null),
      added_at: `2026-04-0${streamVersion}T10:00:00.000Z`,
    },
  });
}

const fromTemplate = added(2, 11, {
  group_rule_definition_id: 4,
  arguments: [{ name: 'tiers', value: ['gold', 'platinum'] }],
  sort_order: 5,
});
const inline = added(3, 12, { rule: tierRule, type: 'exclusion', meta: { $note: 'kept' } });

describe('projectGroupDefinition: rules embedded in their group', () => {
  it('given GroupRuleAdded, embeds the rule with its effective rule and version', () => {
    const view = project(created, fromTemplate)!;

    expect(view.rules).toEqual([
      {
        id: 11,
        group_definition_id: 8,
        group_rule_definition_id: 4,
        type: 'inclusion',
        name: null,
        rule: null,
        arguments: [{ name: 'tiers', value: ['gold', 'platinum'] }],
        sort_order: 5,
        is_active: true,
        meta: null,
        effective: effective(tierRule, 2),
        rule_version: 1,
        created_at: '2026-04-02T10:00:00.000Z',
        updated_at: '2026-04-02T10:00:00.000Z',
      },
    ]);
    expect(view).toMatchObject({
      version: 2,
      rule_definition_ids: [4],
      updated_at: '2026-04-01T09:00:00.000Z',
    });
  });

  it('keeps rules in sort_order, then id, as they change', () => {
    const view = project(
      created,
      fromTemplate,
      inline,
      at(4, {
        type: 'RuleChanged',
        data: {
          group_definition_id: 8,
          rule_id: 12,
          rule_version: 2,
          cause: 'edited',
          changes: { sort_order: 9, is_active: false },
          effective: effective(tierRule, null),
          changed_at: '2026-04-04T10:00:00.000Z',
        },
      }),
    )!;

    expect(view.rules.map((rule) => [rule.id, rule.sort_order, rule.rule_version])).toEqual([
      [11, 5, 1],
      [12, 9, 2],
    ]);
    expect(view.rules[1]).toMatchObject({
      is_active: false,
      rule: tierRule,
      meta: { $note: 'kept' },
      updated_at: '2026-04-04T10:00:00.000Z',
      created_at: '2026-04-03T10:00:00.000Z',
    });
    expect(view.version).toBe(4);
  });

  it('takes the new effective rule of a re-resolved rule', () => {
    const resolved = { in: [{ var: 'tier' }, ['silver']] };
    const view = project(
      created,
      fromTemplate,
      at(3, {
        type: 'RuleChanged',
        data: {
          group_definition_id: 8,
          rule_id: 11,
          rule_version: 2,
          cause: 'rule_definition_changed',
          changes: {},
          effective: effective(resolved, 3),
          changed_at: '2026-04-03T10:00:00.000Z',
        },
      }),
    )!;

    expect(view.rules[0]?.effective).toEqual(effective(resolved, 3));
    expect(view.rules[0]?.arguments).toEqual([{ name: 'tiers', value: ['gold', 'platinum'] }]);
  });

  it('given GroupRuleRemoved, drops the rule and its rule definition id', () => {
    const view = project(
      created,
      fromTemplate,
      inline,
      at(4, {
        type: 'GroupRuleRemoved',
        data: {
          group_definition_id: 8,
          rule_id: 11,
          rule_version: 2,
          removed_at: '2026-04-04T10:00:00.000Z',
        },
      }),
    )!;

    expect(view.rules.map((rule) => rule.id)).toEqual([12]);
    expect(view.rule_definition_ids).toEqual([]);
  });

  it('changes nothing when rule events are delivered again', () => {
    const history = [created, fromTemplate, inline];
    const final = project(...history)!;

    expect(history.map((event) => projectGroupDefinition(final, event))).toEqual([
      null,
      null,
      null,
    ]);
    expect(project(...history, fromTemplate, inline)).toEqual(final);
  });
});
