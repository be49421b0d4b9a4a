import { spawn } from 'node:child_process';
import path from 'node:path';

import { waitFor } from '@profile-groups/testing';

import { System } from './system';

const repoRoot = path.resolve(__dirname, '../../..');

const TIERS = ['gold', 'silver', 'platinum'];
const PROFILES = Array.from({ length: 12 }, (_, i) => ({
  id: `e2e-p-${i}`,
  attributes: {
    tier: TIERS[i % 3],
    segment: i % 4 === 0 ? 'b2b' : 'retail',
    scores: [[i], [i + 1]],
    $source: { 'crm.id': `C-${i}` },
  },
}));
/** Gold or platinum (the group's default tiers), and not b2b or staff. */
const EXPECTED = new Set(
  PROFILES.filter(
    ({ attributes }) =>
      ['gold', 'platinum'].includes(attributes.tier!) && attributes.segment !== 'b2b',
  ).map(({ id }) => id),
);

const template = {
  handle: 'tier-in',
  name: 'Tier in',
  rule: { in: [{ var: 'tier' }, { arg: 'tiers' }] },
  arguments: [{ name: 'tiers', type: 'array', required: false, default: [['legacy'], 'gold'] }],
  meta: { $owner: 'crm', 'a.b': [[1]] },
};
const exclusion = { in: [{ var: 'segment' }, ['b2b', 'staff']] };

function runVerify(env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'dist/apps/projection-service/src/verify.js')],
      { env: { ...process.env, ...env, LOG_LEVEL: 'warn' } },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * The HTTP surface of dynamic groups on the real servers: rule definitions and rules
 * (with JSON FerretDB could not store as documents) through the read models, profiles
 * fed over REST to the worker, preview, refresh, snapshots and explain, and the read
 * models equal to a rebuild at the end.
 */
describe('dynamic group routes end to end', () => {
  const system = new System('e2e-dyn-routes');
  let groupId: number;
  let ruleIds: number[];

  beforeAll(async () => {
    await system.start('projection-service', 'evaluation-worker', 'command-api');
  });

  afterAll(async () => {
    await system.stopAll();
  });

  it('keeps rule definitions and rules with nested arrays and $ keys through the read models', async () => {
    const created = await system.api('POST', '/v3/groups/rule-definitions', template);
    expect(created.status).toBe(201);
    const read = await system.api('GET', '/v3/groups/rule-definitions/tier-in?min_version=1');
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual(created.body.data);
    const browsed = await system.api('GET', '/v3/groups/rule-definitions');
    expect(browsed.body.data.map((r: { handle: string }) => r.handle)).toEqual(['tier-in']);

    const group = await system.api('POST', '/v3/groups/definitions', {
      name: 'Gold and platinum',
      handle: 'e2e-tiers',
      type: 'dynamic',
      arguments: { tiers: ['gold', 'platinum'] },
    });
    expect(group.status).toBe(201);
    groupId = group.body.data.id;
    const inclusion = await system.api('POST', `/v3/groups/definitions/${groupId}/rules`, {
      type: 'inclusion',
      group_rule_definition_id: created.body.data.id,
      meta: { $why: [['tiers']] },
    });
    const excluded = await system.api('POST', '/v3/groups/definitions/e2e-tiers/rules', {
      type: 'exclusion',
      name: 'Business and staff',
      rule: exclusion,
    });
    expect([inclusion.status, excluded.status]).toEqual([201, 201]);
    expect(inclusion.body.data.effective.rule).toEqual({
      in: [{ var: 'tier' }, ['gold', 'platinum']],
    });
    ruleIds = [inclusion.body.data.id, excluded.body.data.id];

    const { version } = excluded.body.data;
    const embedded = await system.api(
      'GET',
      `/v3/groups/definitions/${groupId}?min_version=${version}`,
    );
    expect(embedded.body.data.version).toBe(version);
    const strip = ({ version: _v, ...rule }: Record<string, unknown>) => rule;
    expect(embedded.body.data.rules).toEqual([
      strip(inclusion.body.data),
      strip(excluded.body.data),
    ]);
    const one = await system.api('GET', `/v3/groups/definitions/${groupId}/rules/${ruleIds[1]}`);
    expect(one.body.data).toEqual(excluded.body.data);

    // Used by a group: not deletable, and not editable into one its rule cannot resolve.
    await waitFor(
      async () =>
        (await system.api('DELETE', '/v3/groups/rule-definitions/tier-in')).status === 409,
      { what: 'the rule definition in use' },
    );
    const breaking = await system.api('PUT', '/v3/groups/rule-definitions/tier-in', {
      rule: { '>=': [{ var: 'spend' }, { arg: 'floor' }] },
      arguments: [{ name: 'floor', type: 'number', required: true }],
    });
    expect(breaking.status).toBe(422);
    expect(Object.keys(breaking.body.errors)).toEqual([`group_rules.${groupId}.${ruleIds[0]}`]);
  });

  it('feeds profiles over REST, previews, refreshes, lists the run and explains', async () => {
    for (const { id, attributes } of PROFILES) {
      const put = await system.api('PUT', `/v3/profiles/${id}`, attributes);
      expect(put.status).toBe(200);
      expect(put.body.data).toEqual({ profile_id: id, attributes, version: 1 });
    }
    const preview = await waitFor(
      async () => {
        const answer = await system.api('POST', '/v3/groups/definitions/preview', {
          arguments: { tiers: ['gold', 'platinum'] },
          rules: [
            { type: 'inclusion', group_rule_definition_id: 1 },
            { type: 'exclusion', rule: exclusion },
          ],
          sample_size: 100,
        });

        return answer.body.data?.evaluated === PROFILES.length ? answer.body.data : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the worker to hold every profile' },
    );
    expect(preview.count).toBe(EXPECTED.size);
    expect(new Set(preview.sample)).toEqual(EXPECTED);

    const queued = await system.api('POST', '/v3/groups/definitions/e2e-tiers/refresh');
    expect(queued.status).toBe(202);
    expect(queued.body.data.refresh_status).toBe('queued');
    const run = await waitFor(
      async () => {
        const list = await system.api('GET', `/v3/groups/definitions/${groupId}/snapshots`);

        return (list.body.data as { id: string; trigger: string; status: string }[]).find(
          (s) => s.trigger === 'manual' && s.status === 'completed',
        );
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the manual run' },
    );
    expect(run).toMatchObject({
      group_definition_id: groupId,
      counts: { evaluated: PROFILES.length, included: EXPECTED.size },
    });
    const single = await system.api('GET', `/v3/groups/definitions/${groupId}/snapshots/${run.id}`);
    expect(single.body.data).toEqual(run);
    const ids = async (query: string) => {
      const page = await system.api(
        'GET',
        `/v3/groups/definitions/${groupId}/snapshots/${run.id}/profiles?page[size]=100&${query}`,
      );
      expect(page.status).toBe(200);

      return new Set((page.body.data as { profile_id: string }[]).map((r) => r.profile_id));
    };
    expect(await ids('included=true')).toEqual(EXPECTED);
    expect((await ids('included=false')).size).toBe(PROFILES.length - EXPECTED.size);
    expect(
      (
        await system.api(
          'GET',
          `/v3/groups/definitions/${groupId}/snapshots/${run.id}/profiles?changed=maybe`,
        )
      ).status,
    ).toBe(422);

    await waitFor(
      async () => {
        const { data } = (await system.api('GET', `/v3/groups/definitions/${groupId}`)).body;

        return data.current_member_count === EXPECTED.size && data.last_refreshed_at !== null;
      },
      { timeoutMs: 30_000, what: 'members and the refresh state projected' },
    );

    const member = [...EXPECTED][0]!;
    const explained = await system.api(
      'GET',
      `/v3/groups/definitions/${groupId}/explain/${member}`,
    );
    expect(explained.status).toBe(200);
    expect(explained.body.data).toMatchObject({
      profile_id: member,
      included: true,
      reason: 'included',
      rules: [
        { id: ruleIds[0], type: 'inclusion', matched: true },
        { id: ruleIds[1], type: 'exclusion', matched: false },
      ],
      snapshot: { result: { included: true }, agrees: true, is_member: true },
    });
    const business = await system.api('GET', `/v3/groups/definitions/${groupId}/explain/e2e-p-0`);
    expect(business.body.data).toMatchObject({ included: false, reason: 'excluded_by_rule' });
    expect(JSON.stringify(business.body.data.rules[1].trace)).toContain('b2b');

    expect((await system.api('DELETE', `/v3/profiles/${member}`)).status).toBe(200);
    await waitFor(
      async () =>
        (await system.api('GET', `/v3/groups/definitions/${groupId}/explain/${member}`)).body
          .code === 'profile_not_found',
      { timeoutMs: 30_000, what: 'the deleted profile gone from the worker' },
    );
  }, 180_000);

  it('leaves read models equal to a rebuild from the full history', async () => {
    const verified = await runVerify(system.env);

    expect(verified.output).toContain('verify: no differences');
    expect(verified.code).toBe(0);
  }, 120_000);
});
