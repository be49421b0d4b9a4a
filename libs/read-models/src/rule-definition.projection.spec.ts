import {
  type EnvelopeOf,
  type RuleDefinitionAttributes,
  type RuleDefinitionEvent,
  ruleDefinitionStream,
} from '@profile-groups/contracts';

import { projectRuleDefinition } from './projections';
import { type RuleDefinitionView } from './views';

type RuleDefinitionEnvelope = EnvelopeOf<RuleDefinitionEvent>;

function at<E extends RuleDefinitionEvent>(
  streamVersion: number,
  event: E,
): RuleDefinitionEnvelope {
  return {
    id: `event-${streamVersion}`,
    type: event.type,
    schema_version: 1,
    stream: ruleDefinitionStream(2),
    stream_version: streamVersion,
    time: '2026-06-01T00:00:00.000Z',
    correlation_id: 'corr',
    causation_id: null,
    actor: null,
    data: event.data,
  } as RuleDefinitionEnvelope;
}

const attributes: RuleDefinitionAttributes = {
  handle: 'joined-recently',
  name: 'Joined recently',
  description: null,
  evaluator: 'jsonlogic',
  rule: { '<=': [{ days_since: { var: 'joined_at' } }, { arg: 'days' }] },
  arguments: [{ name: 'days', type: 'integer', required: false, default: 30 }],
  meta: null,
};

const created = at(1, {
  type: 'RuleDefinitionCreated',
  data: { rule_definition_id: 2, definition: attributes, created_at: '2026-06-01T09:00:00.000Z' },
});
const updated = at(2, {
  type: 'RuleDefinitionUpdated',
  data: {
    rule_definition_id: 2,
    changes: { name: 'Joined lately', meta: { team: 'crm' } },
    updated_at: '2026-06-02T09:00:00.000Z',
  },
});
const deleted = at(3, {
  type: 'RuleDefinitionDeleted',
  data: {
    rule_definition_id: 2,
    handle: 'joined-recently',
    deleted_at: '2026-06-03T09:00:00.000Z',
  },
});

function project(...events: RuleDefinitionEnvelope[]): RuleDefinitionView | null {
  return events.reduce<RuleDefinitionView | null>(
    (view, event) => projectRuleDefinition(view, event) ?? view,
    null,
  );
}

describe('projectRuleDefinition', () => {
  it('builds the view from RuleDefinitionCreated', () => {
    expect(project(created)).toEqual({
      _id: 2,
      id: 2,
      ...attributes,
      version: 1,
      created_at: '2026-06-01T09:00:00.000Z',
      updated_at: '2026-06-01T09:00:00.000Z',
      deleted_at: null,
      is_deleted: false,
    });
  });

  it('merges changes and records a deletion', () => {
    expect(project(created, updated)).toMatchObject({
      name: 'Joined lately',
      meta: { team: 'crm' },
      rule: attributes.rule,
      version: 2,
      updated_at: '2026-06-02T09:00:00.000Z',
    });
    expect(project(created, updated, deleted)).toMatchObject({
      is_deleted: true,
      deleted_at: '2026-06-03T09:00:00.000Z',
      version: 3,
    });
  });

  it('ignores what it reflects already and changes before the creation', () => {
    const final = project(created, updated)!;

    expect(projectRuleDefinition(final, created)).toBeNull();
    expect(projectRuleDefinition(final, updated)).toBeNull();
    expect(projectRuleDefinition(null, updated)).toBeNull();
  });
});
