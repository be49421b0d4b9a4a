import { type NewEvent } from '@profile-groups/contracts';

import { call, DEFINITIONS, type Harness, harness } from '../test/in-memory-api';

const GROUP = `${DEFINITIONS}/gold`;
const goldRule = { '==': [{ var: 'tier' }, 'gold'] };

function started(snapshotId: string): NewEvent {
  return {
    type: 'RefreshStarted',
    data: {
      group_definition_id: 1,
      snapshot_id: snapshotId,
      trigger: 'manual',
      started_at: '2026-03-01T10:01:00.000Z',
    },
  };
}

function taken(snapshotId: string, trigger = 'manual', finishedAt = '2026-03-01T10:02:00.000Z') {
  return {
    type: 'SnapshotTaken',
    data: {
      group_definition_id: 1,
      snapshot_id: snapshotId,
      trigger,
      started_at: '2026-03-01T10:01:00.000Z',
      finished_at: finishedAt,
      definition_version: 2,
      rule_versions: [
        { rule_id: 1, rule_version: 1, rule_definition_id: null, rule_definition_version: null },
      ],
      counts: { evaluated: 3, included: 2, added: 2, removed: 0 },
      profile_versions_digest: 'sha256:abc',
      next_refresh_at: '2026-03-02T10:00:00.000Z',
    },
  } as NewEvent;
}

const results = [
  { profile_id: 'p-1', profile_version: 1, included: true, matched_rule_ids: [1], changed: true },
  { profile_id: 'p-2', profile_version: 4, included: true, matched_rule_ids: [1], changed: false },
  { profile_id: 'p-3', profile_version: 2, included: false, matched_rule_ids: [], changed: false },
];

describe('refresh, snapshots, explain and preview over HTTP (in-memory stores)', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await harness();
    await call(h.app, 'POST', DEFINITIONS, { body: { name: 'Gold', type: 'dynamic' } });
    await call(h.app, 'POST', `${GROUP}/rules`, { body: { type: 'inclusion', rule: goldRule } });
  });

  afterEach(async () => {
    await h.app.close();
  });

  async function completedRun() {
    await h.store.record('group-evaluation-1', [started('run-1'), taken('run-1')]);
    h.snapshotResults.runs.set('run-1', results);
  }

  it('queues a refresh (202) and shows the refresh state as the worker moves it on', async () => {
    const queued = await call(h.app, 'POST', `${GROUP}/refresh`);

    expect(queued.status).toBe(202);
    expect(queued.body.data).toMatchObject({ id: 1, refresh_status: 'queued', version: 2 });
    expect(h.store.eventsOf('group-evaluation-1')).toMatchObject([
      {
        type: 'RefreshRequested',
        actor: 'local-dev',
        data: { group_definition_id: 1, requested_at: '2026-03-01T10:00:00.000Z' },
      },
    ]);
    expect((await call(h.app, 'GET', GROUP)).body.data.refresh_status).toBe('queued');

    await h.store.record('group-evaluation-1', [started('run-1')]);
    expect((await call(h.app, 'GET', GROUP)).body.data.refresh_status).toBe('running');

    await h.store.record('group-evaluation-1', [taken('run-1')]);
    expect((await call(h.app, 'GET', GROUP)).body.data).toMatchObject({
      refresh_status: 'idle',
      refresh_error: null,
      last_refreshed_at: '2026-03-01T10:02:00.000Z',
      next_refresh_at: '2026-03-02T10:00:00.000Z',
    });
  });

  it('refuses to refresh a static, inactive, archived or unknown group', async () => {
    await call(h.app, 'POST', DEFINITIONS, { body: { name: 'Static', type: 'static' } });
    await call(h.app, 'POST', DEFINITIONS, {
      body: { name: 'Paused', type: 'dynamic', is_active: false },
    });
    await call(h.app, 'POST', DEFINITIONS, {
      body: { name: 'Old', type: 'dynamic', is_archived: true },
    });

    const wrongType = await call(h.app, 'POST', `${DEFINITIONS}/static/refresh`);
    const inactive = await call(h.app, 'POST', `${DEFINITIONS}/paused/refresh`);
    const archived = await call(h.app, 'POST', `${DEFINITIONS}/old/refresh`);
    const unknown = await call(h.app, 'POST', `${DEFINITIONS}/nowhere/refresh`);

    expect(wrongType).toMatchObject({ status: 422, body: { code: 'wrong_group_type' } });
    expect(inactive).toMatchObject({
      status: 422,
      body: { errors: { is_active: [expect.any(String)] } },
    });
    expect(archived).toMatchObject({ status: 422, body: { code: 'group_archived' } });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect([...h.store.streams.keys()].filter((s) => s.startsWith('group-evaluation'))).toEqual([]);
  });

  it('lists runs newest first and reads one, with 404 for a missing run, 422 for a bad id', async () => {
    await completedRun();
    await h.store.record('group-evaluation-1', [
      taken('incremental-1', 'profile_change', '2026-03-01T11:00:00.000Z'),
    ]);

    const list = await call(h.app, 'GET', `${GROUP}/snapshots?page[size]=10`);
    const one = await call(h.app, 'GET', `${GROUP}/snapshots/run-1`);
    const missing = await call(h.app, 'GET', `${GROUP}/snapshots/run-9`);
    const bad = await call(h.app, 'GET', `${GROUP}/snapshots/${'x'.repeat(65)}`);

    expect(list.body.data.map((s: { id: string }) => s.id)).toEqual(['incremental-1', 'run-1']);
    expect(list.body.meta.total).toBe(2);
    expect(one.body.data).toEqual({
      id: 'run-1',
      group_definition_id: 1,
      trigger: 'manual',
      status: 'completed',
      started_at: '2026-03-01T10:01:00.000Z',
      finished_at: '2026-03-01T10:02:00.000Z',
      error: null,
      counts: { evaluated: 3, included: 2, added: 2, removed: 0 },
      rule_versions: [
        { rule_id: 1, rule_version: 1, rule_definition_id: null, rule_definition_version: null },
      ],
      definition_version: 2,
      profile_versions_digest: 'sha256:abc',
    });
    expect(missing).toMatchObject({ status: 404, body: { code: 'snapshot_not_found' } });
    expect(bad).toMatchObject({
      status: 422,
      body: { code: 'validation_failed', errors: { snapshot: [expect.any(String)] } },
    });
  });

  it('pages the per-profile results, reading included and changed strictly', async () => {
    await completedRun();
    const profiles = (query: string) =>
      call(h.app, 'GET', `${GROUP}/snapshots/run-1/profiles${query}`);

    const all = await profiles('?page[size]=2');
    const included = await profiles('?included=true');
    const notIncluded = await profiles('?included=false');
    const unchanged = await profiles('?changed=0&included=1');
    const refused = await profiles('?included=yes&changed=False');

    expect(all.body.data.map((r: { profile_id: string }) => r.profile_id)).toEqual(['p-1', 'p-2']);
    expect(all.body.meta).toMatchObject({ total: 3, last_page: 2 });
    expect(all.body.data[0]).toEqual(results[0]);
    expect(included.body.meta.total).toBe(2);
    // "false" must not read as true.
    expect(notIncluded.body.data.map((r: { profile_id: string }) => r.profile_id)).toEqual(['p-3']);
    expect(unchanged.body.data.map((r: { profile_id: string }) => r.profile_id)).toEqual(['p-2']);
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.body.errors).sort()).toEqual(['changed', 'included']);
  });

  it('explains a decision live, traced, beside the latest completed run and the membership', async () => {
    await completedRun();
    h.profiles.put('p-1', { tier: 'bronze' }, 2);
    await h.store.record('group-member-1-p-1', [
      {
        type: 'MemberAdded',
        data: {
          group_definition_id: 1,
          profile_id: 'p-1',
          membership_id: 'm-1',
          added_at: '2026-03-01T10:02:00.000Z',
          expires_at: null,
          added_by_profile_id: null,
          source_type: 'rule',
          source_id: null,
          meta: null,
        },
      },
    ]);

    const explained = await call(h.app, 'GET', `${GROUP}/explain/p-1`);

    expect(explained.status).toBe(200);
    expect(explained.body.data).toMatchObject({
      profile_id: 'p-1',
      group_definition_id: 1,
      included: false,
      reason: 'no_inclusion_rule_matched',
      profile_version: 2,
      evaluated_at: '2026-03-01T10:00:00.000Z',
      query: null,
      rules: [{ id: 1, type: 'inclusion', matched: false, effective: { rule: goldRule } }],
      snapshot: {
        id: 'run-1',
        finished_at: '2026-03-01T10:02:00.000Z',
        result: { included: true, matched_rule_ids: [1], profile_version: 1 },
        agrees: false,
        is_member: true,
      },
    });
    expect(JSON.stringify(explained.body.data.rules[0].trace)).toContain('bronze');
  });

  it('explains a profile the latest run did not evaluate, and 404s an unknown profile', async () => {
    h.profiles.put('p-9', { tier: 'gold' });

    const explained = await call(h.app, 'GET', `${GROUP}/explain/p-9`);
    const unknown = await call(h.app, 'GET', `${GROUP}/explain/nobody`);

    expect(explained.body.data).toMatchObject({
      included: true,
      reason: 'included',
      snapshot: { id: null, result: null, agrees: null, is_member: false },
    });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'profile_not_found' } });
  });

  it('previews rules over every profile without storing anything', async () => {
    await call(h.app, 'POST', DEFINITIONS, { body: { name: 'Preview', type: 'static' } });
    for (let i = 0; i < 30; i++) {
      h.profiles.put(`p-${i}`, { tier: i % 3 === 0 ? 'gold' : 'silver', tags: [['b2b']] });
    }
    const before = JSON.stringify([...h.store.streams]);

    const preview = await call(h.app, 'POST', `${DEFINITIONS}/preview`, {
      body: {
        query: { in: [{ var: 'tier' }, ['gold', 'silver']] },
        arguments: { tiers: ['gold'] },
        rules: [
          { type: 'inclusion', rule: { in: [{ var: 'tier' }, { arg: 'tiers' }] } },
          { type: 'exclusion', rule: { '==': [{ var: 'tier' }, 'platinum'] } },
        ],
        sample_size: 3,
      },
    });

    expect(preview.status).toBe(200);
    expect(preview.body.data).toEqual({
      count: 10,
      evaluated: 30,
      sample: ['p-0', 'p-3', 'p-6'],
      evaluated_at: '2026-03-01T10:00:00.000Z',
    });
    expect(JSON.stringify([...h.store.streams])).toBe(before);
    // A group whose handle is "preview" is still itself on its own routes.
    expect((await call(h.app, 'GET', `${DEFINITIONS}/preview`)).body.data.handle).toBe('preview');
  });

  describe('a rule past the evaluation budget', () => {
    // 600 x 600 nested iterations over the profile's own arrays: past the budget.
    const costly = {
      some: [{ var: 'rows' }, { some: [{ var: '' }, { '==': [{ var: '' }, -1] }] }],
    };
    const rows = Array.from({ length: 600 }, () => Array.from({ length: 600 }, (_, i) => i));

    beforeEach(() => {
      h.profiles.put('p-1', { tier: 'gold' });
      h.profiles.put('p-2', { tier: 'gold', rows });
    });

    it('stops a preview with 422 budget_exceeded, naming the rule or the query', async () => {
      const byRule = await call(h.app, 'POST', `${DEFINITIONS}/preview`, {
        body: {
          rules: [
            { type: 'inclusion', rule: goldRule },
            { type: 'exclusion', rule: costly },
          ],
        },
      });
      const byQuery = await call(h.app, 'POST', `${DEFINITIONS}/preview`, {
        body: { query: costly, rules: [{ type: 'inclusion', rule: goldRule }] },
      });

      expect(byRule.status).toBe(422);
      expect(byRule.body).toMatchObject({
        code: 'validation_failed',
        error_codes: { 'rules.1.rule': ['budget_exceeded'] },
      });
      expect(byRule.body.errors['rules.1.rule'][0]).toMatch(/^On profile p-2: .*evaluation budget/);
      expect(byQuery.status).toBe(422);
      expect(byQuery.body.error_codes).toEqual({ query: ['budget_exceeded'] });
    });

    it('explains the rule as not matching, with the error and its code', async () => {
      await call(h.app, 'POST', `${GROUP}/rules`, { body: { type: 'exclusion', rule: costly } });

      const explained = await call(h.app, 'GET', `${GROUP}/explain/p-2`);

      expect(explained.status).toBe(200);
      expect(explained.body.data).toMatchObject({
        included: true,
        reason: 'included',
        rules: [
          { id: 1, matched: true },
          { id: 2, matched: false, error_code: 'budget_exceeded' },
        ],
      });
      expect(explained.body.data.rules[1].error).toMatch(/evaluation budget/);
    });
  });

  it('previews and explains the widest rules a group may hold', async () => {
    h.profiles.put('p-1', { tier: 'gold', a: 1 });
    // 5,000 nodes. Literal arguments: each JSON object in a body counts against its key limit.
    const wide = { or: [...Array.from({ length: 4996 }, () => false), { var: 'a' }] };
    const preview = await call(h.app, 'POST', `${DEFINITIONS}/preview`, {
      body: { rules: [{ type: 'inclusion', rule: wide }] },
    });
    const added = await call(h.app, 'POST', `${GROUP}/rules`, {
      body: { type: 'exclusion', rule: wide },
    });
    const explained = await call(h.app, 'GET', `${GROUP}/explain/p-1`);

    expect(preview.status).toBe(200);
    expect(preview.body.data).toMatchObject({ count: 1, evaluated: 1 });
    expect(added.status).toBe(201);
    expect(explained.body.data).toMatchObject({ included: false, reason: 'excluded_by_rule' });
  });

  it('refuses a preview with a bad rule, query or sample size, by path', async () => {
    const refused = await call(h.app, 'POST', `${DEFINITIONS}/preview`, {
      body: {
        query: { var: '__proto__' },
        rules: [
          { type: 'inclusion', rule: true },
          { type: 'inclusion', rule: { nope: [] } },
        ],
        sample_size: 101,
      },
    });
    const noRules = await call(h.app, 'POST', `${DEFINITIONS}/preview`, { body: {} });
    const badRule = await call(h.app, 'POST', `${DEFINITIONS}/preview`, {
      body: { query: { var: '__proto__' }, rules: [{ type: 'inclusion', rule: { nope: [] } }] },
    });

    expect(refused.status).toBe(422);
    expect(Object.keys(refused.body.errors)).toEqual(['sample_size']);
    expect(Object.keys(noRules.body.errors)).toEqual(['rules']);
    expect(Object.keys(badRule.body.errors).sort()).toEqual(['query.var', 'rules.0.rule.nope']);
  });
});
