import { CE, type JsonValue, topicName } from '@profile-groups/contracts';
import {
  collectTopics,
  generateProfile,
  publishProfiles,
  testKafka,
  waitFor,
} from '@profile-groups/testing';
import { MongoClient } from 'mongodb';

import { System } from './system';

// The reference semantics, used here as an independent second opinion.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsonLogic = require('json-logic-js') as { apply(rule: unknown, data: unknown): unknown };

/** CI runs a few thousand; `DYNAMIC_E2E_PROFILES=100000` runs the full size. */
const PROFILES = Number(process.env.DYNAMIC_E2E_PROFILES ?? 3000);
const TIMEOUT_MS = Number(process.env.DYNAMIC_E2E_TIMEOUT_MS ?? 300_000);

function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

/**
 * Issue 3's walk-through on the real servers: profiles arrive on Kafka as an upstream
 * platform publishes them; a dynamic group built from a rule definition refreshes to
 * exactly the members an independent json-logic-js pass finds; changing one profile
 * moves it out with its event; explain says why; the snapshots list both runs.
 */
describe('dynamic groups end to end', () => {
  const system = new System('e2e-dynamic');
  const kafka = testKafka();
  const profiles = Array.from({ length: PROFILES }, (_, i) => generateProfile(i, 3));
  let mongo: MongoClient;
  let memberships: Awaited<ReturnType<typeof collectTopics>>;

  beforeAll(async () => {
    await system.start('projection-service', 'evaluation-worker', 'command-api');
    mongo = await MongoClient.connect(system.env.MONGODB_URL!);
    memberships = await collectTopics(kafka, [topicName(system.topicPrefix, 'memberships')]);
  });

  afterAll(async () => {
    await memberships?.stop();
    await mongo?.close();
    await system.stopAll();
  });

  async function members(group: number): Promise<Set<string>> {
    const found = new Set<string>();
    for (let page = 1; ; page++) {
      const response = await system.api(
        'GET',
        `/v3/groups/definitions/${group}/profiles?page[size]=500&page[number]=${page}`,
      );
      expect(response.status).toBe(200);
      for (const row of response.body.data as { profile_id: string }[]) found.add(row.profile_id);
      if (page >= response.body.meta.last_page) return found;
    }
  }

  it(
    'refreshes to what json-logic-js finds, follows a profile change, and explains it',
    async () => {
      await publishProfiles(kafka, system.topicPrefix, profiles);
      const store = mongo.db(system.database).collection('evaluation_profiles');
      await waitFor(async () => (await store.countDocuments({})) === PROFILES, {
        timeoutMs: TIMEOUT_MS,
        intervalMs: 1000,
        what: `${PROFILES} profiles in the worker's store`,
      });

      const template = await system.api('POST', '/v3/groups/rule-definitions', {
        handle: 'spend-and-tier',
        name: 'Spent at least, in one of the tiers',
        rule: {
          and: [
            { '>=': [{ var: 'total_spend' }, { arg: 'minimum' }] },
            { in: [{ var: 'tier' }, { arg: 'tiers' }] },
          ],
        },
        arguments: [
          { name: 'minimum', type: 'number', required: true },
          { name: 'tiers', type: 'array', required: false, default: ['gold', 'platinum'] },
        ],
      });
      expect(template.status).toBe(201);

      // Created inactive so that the rules land before the first evaluation.
      const created = await system.api('POST', '/v3/groups/definitions', {
        name: 'Big spenders who read email',
        handle: 'big-spenders',
        type: 'dynamic',
        is_active: false,
        query: { '==': [{ var: 'consent.email' }, true] },
        query_type: 'jsonlogic',
        arguments: { minimum: 1500 },
      });
      expect(created.status).toBe(201);
      const groupId = created.body.data.id as number;
      const inclusion = await system.api('POST', `/v3/groups/definitions/${groupId}/rules`, {
        type: 'inclusion',
        group_rule_definition_id: template.body.data.id,
        arguments: [{ name: 'tiers', value: ['gold', 'platinum', 'silver'] }],
      });
      expect(inclusion.status).toBe(201);
      const exclusion = await system.api('POST', `/v3/groups/definitions/${groupId}/rules`, {
        type: 'exclusion',
        name: 'Business accounts',
        rule: { in: ['b2b', { var: 'tags' }] },
      });
      expect(exclusion.status).toBe(201);
      const activated = await system.api('PUT', `/v3/groups/definitions/${groupId}`, {
        is_active: true,
      });
      expect(activated.status).toBe(200);

      // Polled: min_version waits only so long, and under load the read model can lag more.
      const rules = await waitFor(
        async () => {
          const list = await system.api('GET', `/v3/groups/definitions/${groupId}/rules`);
          const data = (list.body.data ?? []) as { type: string; effective: { rule: JsonValue } }[];

          return data.length === 2 ? data : undefined;
        },
        { what: 'both rules in the read model' },
      );
      const query = created.body.data.query as JsonValue;
      const expected = new Set(
        profiles
          .filter(
            (p) =>
              truthy(jsonLogic.apply(query, p)) &&
              rules.some(
                (r) => r.type === 'inclusion' && truthy(jsonLogic.apply(r.effective.rule, p)),
              ) &&
              !rules.some(
                (r) => r.type === 'exclusion' && truthy(jsonLogic.apply(r.effective.rule, p)),
              ),
          )
          .map((p) => p.profile_id),
      );
      expect(expected.size).toBeGreaterThan(PROFILES / 50);

      const first = await waitFor(
        async () => {
          const list = await system.api('GET', `/v3/groups/definitions/${groupId}/snapshots`);
          const done = (list.body.data ?? []).filter(
            (s: { status: string }) => s.status === 'completed',
          );

          return done.length > 0 ? done[0] : undefined;
        },
        { timeoutMs: TIMEOUT_MS, intervalMs: 500, what: 'the first snapshot' },
      );
      expect(first).toMatchObject({
        trigger: 'rule_change',
        counts: { evaluated: PROFILES, included: expected.size, added: expected.size, removed: 0 },
      });
      await waitFor(
        async () =>
          (await system.api('GET', `/v3/groups/definitions/${groupId}`)).body.data
            .current_member_count === expected.size,
        { timeoutMs: TIMEOUT_MS, intervalMs: 500, what: 'the projected member count' },
      );
      expect(await members(groupId)).toEqual(expected);

      // One member drops to bronze: the rules no longer include it.
      const moved = profiles.find((p) => expected.has(p.profile_id))!;
      const movedId = moved.profile_id;
      await publishProfiles(kafka, system.topicPrefix, [{ ...moved, tier: 'bronze' }]);
      const removal = await waitFor(
        () =>
          memberships.messages.find(
            (m) =>
              m.headers[CE.type] === 'MemberRemoved' &&
              (JSON.parse(m.value!) as { profile_id: string }).profile_id === movedId,
          ),
        { timeoutMs: 30_000, what: `MemberRemoved for ${movedId}` },
      );
      expect(JSON.parse(removal.value!)).toMatchObject({
        group_definition_id: groupId,
        reason: 'rule',
      });

      const explained = await system.api(
        'GET',
        `/v3/groups/definitions/${groupId}/explain/${movedId}`,
      );
      expect(explained.status).toBe(200);
      expect(explained.body.data).toMatchObject({
        profile_id: movedId,
        group_definition_id: groupId,
        included: false,
        reason: 'no_inclusion_rule_matched',
      });
      const [inclusionTrace, exclusionTrace] = explained.body.data.rules;
      expect(inclusionTrace).toMatchObject({ type: 'inclusion', matched: false });
      expect(exclusionTrace).toMatchObject({ type: 'exclusion', matched: false });
      expect(JSON.stringify(inclusionTrace.trace)).toContain('bronze');

      const snapshots = await waitFor(
        async () => {
          const list = await system.api('GET', `/v3/groups/definitions/${groupId}/snapshots`);
          const done = (list.body.data ?? []).filter(
            (s: { status: string }) => s.status === 'completed',
          );

          return done.length >= 2 ? done : undefined;
        },
        { what: 'the profile-change snapshot' },
      );
      expect(snapshots[0]).toMatchObject({
        trigger: 'profile_change',
        counts: { evaluated: 1, included: 0, added: 0, removed: 1 },
      });
      expect(snapshots[1].id).toBe(first.id);
      const results = await system.api(
        'GET',
        `/v3/groups/definitions/${groupId}/snapshots/${snapshots[0].id}/profiles`,
      );
      expect(results.body.data).toEqual([
        expect.objectContaining({ profile_id: movedId, included: false, changed: true }),
      ]);

      // Between the two runs exactly that profile left; the other way round, it joined.
      const diffPath = (to: string, from: string) =>
        `/v3/groups/definitions/${groupId}/snapshots/${to}/diff?from=${from}`;
      const diff = await waitFor(
        async () => {
          const answer = await system.api('GET', diffPath(snapshots[0].id, first.id));

          return answer.body.meta?.total === 1 ? answer : undefined;
        },
        { what: 'the diff of the two runs' },
      );
      expect(diff.body.data).toEqual([{ profile_id: movedId, change: 'removed' }]);
      const reverse = await system.api('GET', diffPath(first.id, snapshots[0].id));
      expect(reverse.body.data).toEqual([{ profile_id: movedId, change: 'added' }]);
      const unnamed = await system.api(
        'GET',
        `/v3/groups/definitions/${groupId}/snapshots/${first.id}/diff`,
      );
      expect(unnamed.status).toBe(422);
    },
    TIMEOUT_MS,
  );
});
