import { type JsonValue } from '@profile-groups/contracts';
import { DomainError, type GroupDefinitionState, GroupEvaluator } from '@profile-groups/domain';
import { type ProfileRecord } from '@profile-groups/evaluation';
import { groupAttributes } from '@profile-groups/testing';

import { scanPreview } from './preview-scan';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const AT = NOW.toISOString();

function evaluatorOf(rule: JsonValue): GroupEvaluator {
  const group: GroupDefinitionState = {
    id: 0,
    version: 0,
    attributes: groupAttributes({ name: 'Preview', handle: 'preview', type: 'dynamic' }),
    flags: { is_published: false, is_active: true, is_archived: false },
    rules: [
      {
        id: 1,
        attributes: {
          group_rule_definition_id: null,
          rule,
          type: 'inclusion',
          name: null,
          arguments: [],
          sort_order: 0,
          is_active: true,
          meta: null,
        },
        version: 1,
        effective: {
          handle: null,
          evaluator: 'jsonlogic',
          rule,
          name: null,
          arguments: {},
          rule_definition_version: null,
        },
        created_at: AT,
        updated_at: AT,
      },
    ],
    created_at: AT,
    updated_at: AT,
    deleted: false,
  };

  return new GroupEvaluator(group);
}

function record(profileId: string, attributes: Record<string, unknown>): ProfileRecord {
  return { profile_id: profileId, version: 1, attributes } as ProfileRecord;
}

/** Batches of profiles, counting how many the scan asked for. */
function batches(...lists: ProfileRecord[][]): {
  profiles: AsyncIterable<ProfileRecord[]>;
  read: () => number;
} {
  let read = 0;

  return {
    profiles: (async function* () {
      for (const list of lists) {
        read++;
        // As the profile store's scan does, each batch comes from a read.
        yield await Promise.resolve(list);
      }
    })(),
    read: () => read,
  };
}

/** The DomainError a scan throws, failing if it throws none. */
async function refusal(scan: Promise<unknown>): Promise<DomainError> {
  try {
    await scan;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the preview to be refused');
}

const gold: JsonValue = { '==': [{ var: 'tier' }, 'gold'] };
const anyOrder: JsonValue = { some: [{ var: 'orders' }, { '>=': [{ var: '' }, 100] }] };

describe('scanPreview', () => {
  it('counts the profiles the rules include, with a sample', async () => {
    const source = batches(
      [record('p-1', { tier: 'gold' }), record('p-2', { tier: 'silver' })],
      [record('p-3', { tier: 'gold' })],
    );

    expect(
      await scanPreview(evaluatorOf(gold), { profiles: source.profiles, now: NOW, sampleSize: 1 }),
    ).toEqual({ count: 2, evaluated: 3, sample: ['p-1'], evaluated_at: AT });
  });

  it('stops at the first profile a rule runs out of budget on, naming the rule', async () => {
    const rows = Array.from({ length: 600 }, () => Array.from({ length: 600 }, (_, i) => i));
    const costly: JsonValue = {
      some: [{ var: 'rows' }, { some: [{ var: '' }, { '==': [{ var: '' }, -1] }] }],
    };
    const source = batches([record('p-1', {}), record('p-2', { rows })], [record('p-3', {})]);

    const error = await refusal(
      scanPreview(evaluatorOf(costly), { profiles: source.profiles, now: NOW, sampleSize: 10 }),
    );

    expect(error.code).toBe('validation_failed');
    expect(error.fieldCodes).toEqual({ 'rules.0.rule': ['budget_exceeded'] });
    expect(error.fieldErrors['rules.0.rule']?.[0]).toMatch(/^On profile p-2: /);
    expect(source.read()).toBe(1);
  });

  it('refuses a preview whose work over all the profiles passes its bound', async () => {
    // Each evaluation: the rule's 7 nodes and 5 steps per order.
    const orders = Array.from({ length: 20 }, (_, i) => i);
    const profiles = Array.from({ length: 10 }, (_, i) => record(`p-${i}`, { orders }));
    const scan = (maxSteps: number) =>
      scanPreview(evaluatorOf(anyOrder), {
        profiles: batches(profiles).profiles,
        now: NOW,
        sampleSize: 10,
        maxSteps,
      });

    expect(await scan(10 * 107)).toMatchObject({ count: 0, evaluated: 10 });
    const error = await refusal(scan(10 * 107 - 1));
    expect(error.fieldCodes).toEqual({ rules: ['budget_exceeded'] });
    expect(error.fieldErrors.rules?.[0]).toMatch(/more than 1069 steps/);
  });
});
