import { CE, topicName } from '@profile-groups/contracts';
import { collectTopics, testKafka, waitFor } from '@profile-groups/testing';

import { System } from './system';

/**
 * The walking skeleton end to end: REST command -> event store -> relay -> Kafka ->
 * projection -> read model -> query, with the worker expiring memberships, all three
 * apps as separate processes on the real servers.
 */
describe('static groups end to end', () => {
  const system = new System('e2e-static');
  const kafka = testKafka();
  let membershipTopic: ReturnType<typeof collectTopics> extends Promise<infer T> ? T : never;

  beforeAll(async () => {
    await system.start('projection-service', 'evaluation-worker', 'command-api');
    membershipTopic = await collectTopics(kafka, [topicName(system.topicPrefix, 'memberships')]);
  });

  afterAll(async () => {
    await membershipTopic?.stop();
    await system.stopAll();
  });

  async function definition(group: string | number) {
    const response = await system.api('GET', `/v3/groups/definitions/${group}`);
    expect(response.status).toBe(200);

    return response.body.data;
  }

  it('creates a static group, adds 1,000 members in one call, removes some, and counts right', async () => {
    const created = await system.api('POST', '/v3/groups/definitions', {
      name: 'VIP customers',
      handle: 'vip-customers',
      type: 'static',
      meta: { campaign: { code: 'W26', channels: ['email', 'sms'] } },
    });
    expect(created.status).toBe(201);
    const group = created.body.data;
    expect(group).toMatchObject({ handle: 'vip-customers', type: 'static', version: 1 });
    expect(group.meta).toEqual({ campaign: { code: 'W26', channels: ['email', 'sms'] } });

    const ids = Array.from({ length: 1000 }, (_, i) => `profile-${String(i).padStart(4, '0')}`);
    const added = await system.api('POST', `/v3/groups/definitions/${group.id}/profiles`, {
      profile_ids: ids,
    });
    expect(added.status).toBe(201);
    expect(added.body.data).toHaveLength(1000);

    for (const id of ids.slice(0, 10)) {
      const removed = await system.api(
        'POST',
        `/v3/groups/definitions/vip-customers/profiles/${id}/remove`,
        { removed_reason: 'opted out', removed_by_profile_id: 'operator-1' },
      );
      expect(removed.status).toBe(200);
    }
    const again = await system.api('POST', `/v3/groups/definitions/${group.id}/profiles`, {
      profile_id: ids[500],
    });
    expect([200, 201]).toContain(again.status);
    expect(again.body.data.profile_id).toBe(ids[500]);
    expect(again.body.data.id).toBe(added.body.data[500].id);

    await waitFor(async () => (await definition(group.id)).current_member_count === 990, {
      what: 'current_member_count 990',
    });
    const page = await system.api(
      'GET',
      `/v3/groups/definitions/${group.id}/profiles?page[size]=100&page[number]=2`,
    );
    expect(page.status).toBe(200);
    expect(page.body.meta).toMatchObject({
      total: 990,
      per_page: 100,
      current_page: 2,
      last_page: 10,
    });
    expect(page.body.data).toHaveLength(100);
    const rows: any[] = [];
    for (const number of [1, 2]) {
      const withRemoved = await system.api(
        'GET',
        `/v3/groups/definitions/${group.id}/profiles?include_removed=true&page[size]=500&page[number]=${number}`,
      );
      expect(withRemoved.body.meta.total).toBe(1000);
      rows.push(...withRemoved.body.data);
    }
    expect(new Set(rows.map((row) => row.id)).size).toBe(1000);
    const removedRow = rows.find((row) => row.profile_id === ids[3]);
    expect(removedRow).toMatchObject({
      removed_reason: 'opted out',
      removed_by_profile_id: 'operator-1',
    });
    expect(removedRow.removed_at).not.toBeNull();

    // The same facts reached a plain kafkajs consumer, keyed per (group, profile).
    await waitFor(() => membershipTopic.messages.length >= 1010, {
      what: '1010 membership events',
    });
    const types = membershipTopic.messages.map((m) => m.headers[CE.type]);
    expect(types.filter((t) => t === 'MemberAdded')).toHaveLength(1000);
    expect(types.filter((t) => t === 'MemberRemoved')).toHaveLength(10);
    const pairKey = `group-member-${group.id}-${ids[0]}`;
    const pairEvents = membershipTopic.messages.filter((m) => m.key === pairKey);
    expect(pairEvents.map((m) => m.headers[CE.type])).toEqual(['MemberAdded', 'MemberRemoved']);
    const removal = pairEvents[1]!;
    expect(JSON.parse(removal.value!)).toMatchObject({
      reason: 'manual',
      removed_reason: 'opted out',
    });
  });

  it('lists the members of a past instant with as_of, as they were then', async () => {
    const created = await system.api('POST', '/v3/groups/definitions', {
      name: 'Audit trail',
      handle: 'audit-trail',
      type: 'static',
    });
    const id = created.body.data.id;
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
    const before = new Date().toISOString();
    await pause();
    await system.api('POST', `/v3/groups/definitions/${id}/profiles`, {
      profile_ids: ['a-1', 'a-2'],
    });
    await pause();
    const bothIn = new Date().toISOString();
    await pause();
    await system.api('POST', `/v3/groups/definitions/${id}/profiles/a-1/remove`, {});
    await pause();
    const oneOut = new Date().toISOString();
    await pause();
    await system.api('POST', `/v3/groups/definitions/${id}/profiles`, { profile_id: 'a-3' });
    await waitFor(async () => (await definition(id)).current_member_count === 2, {
      what: 'a-2 and a-3 current',
    });

    const membersAt = async (asOf: string) => {
      const page = await system.api(
        'GET',
        `/v3/groups/definitions/${id}/profiles?as_of=${encodeURIComponent(asOf)}`,
      );
      expect(page.status).toBe(200);

      return (page.body.data as { profile_id: string }[]).map((m) => m.profile_id).sort();
    };
    expect(await membersAt(before)).toEqual([]);
    expect(await membersAt(bothIn)).toEqual(['a-1', 'a-2']);
    expect(await membersAt(oneOut)).toEqual(['a-2']);
    expect(await membersAt(new Date().toISOString())).toEqual(['a-2', 'a-3']);
    // The input format of API.md, UTC.
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    expect(await membersAt(inAnHour.replace('T', ' ').slice(0, 19))).toEqual(['a-2', 'a-3']);

    const bad = await system.api('GET', `/v3/groups/definitions/${id}/profiles?as_of=yesterday`);
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toHaveProperty('as_of');
    const both = await system.api(
      'GET',
      `/v3/groups/definitions/${id}/profiles?as_of=${encodeURIComponent(bothIn)}&include_removed=true`,
    );
    expect(both.status).toBe(422);
  });

  it('takes 10,000 ids in one call and refuses 10,001', async () => {
    const created = await system.api('POST', '/v3/groups/definitions', {
      name: 'Newsletter',
      handle: 'newsletter',
      type: 'static',
    });
    expect(created.status).toBe(201);
    const ids = Array.from({ length: 10_001 }, (_, i) => `reader-${i}`);
    const refused = await system.api('POST', '/v3/groups/definitions/newsletter/profiles', {
      profile_ids: ids,
    });
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.body.errors)).toContain('profile_ids');

    const added = await system.api('POST', '/v3/groups/definitions/newsletter/profiles', {
      profile_ids: ids.slice(0, 10_000),
    });
    expect(added.status).toBe(201);
    expect(added.body.data).toHaveLength(10_000);
    await waitFor(async () => (await definition('newsletter')).current_member_count === 10_000, {
      timeoutMs: 60_000,
      what: 'current_member_count 10000',
    });
  }, 120_000);

  it('expires memberships at the absolute_expiry time itself', async () => {
    const expiresAt = new Date(Date.now() + 6000);
    const created = await system.api('POST', '/v3/groups/definitions', {
      name: 'Flash sale',
      handle: 'flash-sale',
      type: 'static',
      absolute_expiry: expiresAt.toISOString(),
    });
    expect(created.status).toBe(201);
    const added = await system.api('POST', '/v3/groups/definitions/flash-sale/profiles', {
      profile_ids: ['a', 'b', 'c'],
    });
    expect(added.status).toBe(201);
    expect(added.body.data[0].expires_at).toBe(expiresAt.toISOString());

    const expired = await waitFor(
      () => {
        const removals = membershipTopic.messages.filter(
          (m) =>
            m.headers[CE.type] === 'MemberRemoved' &&
            JSON.parse(m.value!).group_definition_id === created.body.data.id,
        );

        return removals.length === 3 ? removals : undefined;
      },
      { timeoutMs: 30_000, what: 'three expiries' },
    );
    for (const message of expired) {
      const data = JSON.parse(message.value!);
      expect(data.reason).toBe('expired');
      const lateMs = Date.parse(data.removed_at) - expiresAt.getTime();
      expect(lateMs).toBeGreaterThanOrEqual(0);
      // At the time itself, not at a later sweep: seconds, allowing for a loaded machine.
      expect(lateMs).toBeLessThan(5000);
    }
    await waitFor(async () => (await definition('flash-sale')).current_member_count === 0, {
      what: 'flash-sale empty',
    });
  });

  it('never loses a concurrent update: If-Match conflicts get 409, unconditional writes all land', async () => {
    const created = await system.api('POST', '/v3/groups/definitions', {
      name: 'Contended',
      handle: 'contended',
      type: 'static',
    });
    const version = created.body.data.version;
    const conditional = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        system.api(
          'PUT',
          '/v3/groups/definitions/contended',
          { description: `writer ${i}` },
          { 'if-match': String(version) },
        ),
      ),
    );
    const statuses = conditional.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(5);
    const conflict = conditional.find((r) => r.status === 409)!;
    expect(conflict.body.current_version).toBe(version + 1);

    const unconditional = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        system.api('PUT', '/v3/groups/definitions/contended', { short_description: `s${i}` }),
      ),
    );
    // Each unconditional writer lands, with a version of its own.
    expect(unconditional.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(new Set(unconditional.map((r) => r.body.data.version)).size).toBe(6);
    const expected = version + 1 + 6;
    const final = await system.api(
      'GET',
      `/v3/groups/definitions/contended?min_version=${expected}`,
    );
    expect(final.body.data.version).toBe(expected);
  });

  it('ends the memberships of a deleted group and frees its handle', async () => {
    const created = await system.api('POST', '/v3/groups/definitions', {
      name: 'Short lived',
      handle: 'short-lived',
      type: 'static',
    });
    const id = created.body.data.id;
    await system.api('POST', `/v3/groups/definitions/${id}/profiles`, { profile_ids: ['x', 'y'] });
    const deleted = await system.api('DELETE', `/v3/groups/definitions/${id}`);
    expect(deleted.status).toBe(200);
    // Queries follow the read model, which catches up with the deletion within moments.
    await waitFor(
      async () => (await system.api('GET', `/v3/groups/definitions/${id}`)).status === 404,
      {
        what: 'deleted group gone from queries',
      },
    );

    const ended = await waitFor(
      () => {
        const removals = membershipTopic.messages.filter(
          (m) =>
            m.headers[CE.type] === 'MemberRemoved' &&
            JSON.parse(m.value!).group_definition_id === id,
        );

        return removals.length === 2 ? removals : undefined;
      },
      { what: 'two group_deleted removals' },
    );
    expect(ended.map((m) => JSON.parse(m.value!).reason)).toEqual([
      'group_deleted',
      'group_deleted',
    ]);
    const again = await system.api('POST', '/v3/groups/definitions', {
      name: 'Short lived again',
      handle: 'short-lived',
      type: 'static',
    });
    expect(again.status).toBe(201);
    expect(again.body.data.id).not.toBe(id);
  });

  it('reports Kafka and MongoDB in every health endpoint, without a token', async () => {
    const api = await fetch(`${system.app('command-api').baseUrl}/api/health`);
    expect(api.status).toBe(200);
    expect(await api.json()).toMatchObject({
      status: 'ok',
      checks: { mongodb: { status: 'up' }, kafka: { status: 'up' } },
    });
    for (const name of ['evaluation-worker', 'projection-service'] as const) {
      const ready = await fetch(`${system.app(name).baseUrl}/health`);
      expect(await ready.json()).toMatchObject({
        status: 'ok',
        checks: { mongodb: { status: 'up' }, kafka: { status: 'up' }, consumer: { status: 'up' } },
      });
      expect((await fetch(`${system.app(name).baseUrl}/health/live`)).status).toBe(200);
    }
    const relay = await fetch(`${system.app('projection-service').baseUrl}/health`);
    expect(await relay.json()).toMatchObject({
      checks: { relay: { status: 'up', detail: { dead_lettered_events: 0 } } },
    });
  });

  it('refuses with 413 a profile too large to publish, stores nothing, and relays what follows', async () => {
    const profiles = await collectTopics(kafka, [topicName(system.topicPrefix, 'profiles')]);
    // 1.5 MB of UTF-8, under the 2 MiB body limit, three times the event limit.
    const attributes = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`note_${i}`, '東京都渋谷区'.repeat(8_334)]),
    );

    const refused = await system.api('PUT', '/v3/profiles/p-oversized', attributes);
    const accepted = await system.api('PUT', '/v3/profiles/p-oversized', { tier: 'gold' });

    expect(refused.status).toBe(413);
    expect(refused.body).toEqual({ code: 'event_too_large', message: expect.any(String) });
    // The stream was empty: the accepted upsert is its first event.
    expect(accepted.body.data).toMatchObject({ profile_id: 'p-oversized', version: 1 });
    try {
      await waitFor(() => profiles.messages.some((m) => m.key === 'profile-p-oversized'), {
        what: 'the accepted upsert on the profiles topic',
      });
    } finally {
      await profiles.stop();
    }
    const published = profiles.messages.filter((m) => m.key === 'profile-p-oversized');
    expect(published.map((m) => m.headers[CE.streamversion])).toEqual(['1']);
    expect(JSON.parse(published[0]!.value!)).toMatchObject({ attributes: { tier: 'gold' } });
  });

  it('answers bad input with 4xx and a machine-readable body, never 500', async () => {
    const cases: [string, string, unknown, number][] = [
      ['POST', '/v3/groups/definitions', '{not json', 400],
      [
        'POST',
        '/v3/groups/definitions',
        { name: 'x', handle: 'vip-customers', type: 'static' },
        422,
      ],
      ['POST', '/v3/groups/definitions', { name: '', handle: 'h', type: 'nope' }, 422],
      ['GET', '/v3/groups/definitions/does-not-exist', undefined, 404],
      ['POST', '/v3/groups/definitions/vip-customers/profiles', { profile_ids: [''] }, 422],
      ['GET', '/v3/groups/definitions?is_active=maybe', undefined, 422],
      ['GET', '/v3/groups/definitions?page[size]=501', undefined, 422],
      ['POST', '/v3/groups/definitions/vip-customers/profiles/nobody/remove', {}, 404],
      ['POST', `/v3/groups/definitions/vip-customers/profiles/${'p'.repeat(129)}/remove`, {}, 422],
      ['GET', '/v3/groups/definitions/vip%20customers', undefined, 422],
      [
        'POST',
        '/v3/groups/definitions',
        { name: 'n', type: 'static', description: 'a\u0000b' },
        422,
      ],
      [
        'POST',
        '/v3/groups/definitions',
        '{"name":"n","type":"static","meta":{"prototype":1}}',
        422,
      ],
      ['GET', '/v3/groups/definitions?__proto__=x', undefined, 422],
      ['POST', '/v3/groups/definitions/vip-customers/profiles', { profile_id: '\ud800' }, 422],
    ];
    for (const [method, path, body, status] of cases) {
      const response = await system.api(method, path, body);
      expect({ path, status: response.status }).toEqual({ path, status });
      expect(typeof response.body.message).toBe('string');
    }
    // A refused write stored nothing, and a later write with free-form JSON still works.
    const after = await system.api('POST', '/v3/groups/definitions', {
      name: 'After the attack',
      type: 'static',
      meta: { nested: { ok: true } },
    });
    expect(after.status).toBe(201);
    const unauthenticated = await fetch(
      `${system.app('command-api').baseUrl}/api/v3/groups/definitions`,
    );
    expect(unauthenticated.status).toBe(401);
  });
});
