import { call, DEFINITIONS, type Harness, harness } from '../test/in-memory-api';

describe('command API over HTTP (in-memory stores)', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await harness();
  });

  afterEach(async () => {
    await h.app.close();
  });

  const create = (body: Record<string, unknown>) =>
    call(h.app, 'POST', DEFINITIONS, { body: { type: 'static', ...body } });

  it('creates a group definition with defaults, and reads it by id and by handle', async () => {
    const created = await create({ name: 'VIP Customers' });

    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      id: 1,
      name: 'VIP Customers',
      handle: 'vip-customers',
      type: 'static',
      query: null,
      query_type: null,
      is_published: false,
      is_active: true,
      is_archived: false,
      current_member_count: 0,
      rules: [],
      version: 1,
      created_at: '2026-03-01T10:00:00.000Z',
    });
    expect(created.headers['x-correlation-id']).toBeDefined();

    const byId = await call(h.app, 'GET', `${DEFINITIONS}/1?min_version=1`);
    const byHandle = await call(h.app, 'GET', `${DEFINITIONS}/vip-customers`);

    expect(byId.status).toBe(200);
    expect(byId.body.data).toEqual(created.body.data);
    expect(byHandle.body.data.id).toBe(1);
  });

  it('keeps arrays inside arrays and $ or . keys in free-form JSON, stored encoded', async () => {
    const query = { in: [{ var: 'profile.tier' }, ['gold', 'platinum']] };
    const meta = { $source: 'import', 'a.b': [[1, 2], [3]] };

    const created = await create({ name: 'Tiers', type: 'dynamic', query, meta });

    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ query, meta });
    expect((await call(h.app, 'GET', `${DEFINITIONS}/tiers`)).body.data).toMatchObject({
      query,
      meta,
    });
  });

  it('keeps a nested JSONLogic rule intact from the request to the stored event', async () => {
    const query = {
      and: [
        { '>=': [{ var: 'profile.age' }, 18] },
        { in: [{ var: 'profile.tier' }, 'gold platinum'] },
        { '!': { var: 'profile.opted_out' } },
      ],
    };
    const meta = { owner: { team: 'crm', tags: ['a', 'b'] }, empty: {} };

    const created = await create({
      name: 'Adults',
      type: 'dynamic',
      query,
      meta,
      arguments: { days: 30 },
    });

    expect(created.status).toBe(201);
    const [event] = h.store.eventsOf('group-definition-1');
    const definition = (event?.data as { definition: Record<string, unknown> }).definition;
    expect(definition.query).toEqual(query);
    expect(definition.meta).toEqual(meta);
    expect(definition.query_type).toBe('jsonlogic');
    expect(event?.actor).toBe('local-dev');
    expect(event?.correlation_id).toBe(created.headers['x-correlation-id']);
  });
  it('edits partially, answers the new version, and honours If-Match', async () => {
    await create({ name: 'Newsletter', description: 'weekly' });

    const edited = await call(h.app, 'PUT', `${DEFINITIONS}/newsletter`, {
      body: { name: 'Weekly newsletter', is_published: true },
      headers: { 'If-Match': '1' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({
      name: 'Weekly newsletter',
      description: 'weekly',
      is_published: true,
      version: 3,
    });

    const stale = await call(h.app, 'PUT', `${DEFINITIONS}/1`, {
      body: { name: 'Again' },
      headers: { 'If-Match': '1' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'version_conflict', current_version: 3 });

    const immutable = await call(h.app, 'PUT', `${DEFINITIONS}/1`, { body: { type: 'dynamic' } });
    expect(immutable.status).toBe(422);
    expect(immutable.body).toMatchObject({
      code: 'immutable_field',
      errors: { type: [expect.any(String)] },
    });
  });

  it('retries a write that met a concurrent writer, without If-Match', async () => {
    await create({ name: 'Retried' });
    h.store.conflictOnce.add('group-definition-1');

    const edited = await call(h.app, 'PUT', `${DEFINITIONS}/1`, {
      body: { name: 'Retried twice' },
    });

    expect(edited.status).toBe(200);
    expect(edited.body.data.version).toBe(2);
  });

  it('keeps handles unique, moves the claim on rename and frees it on delete', async () => {
    await create({ name: 'First', handle: 'shared' });
    const taken = await create({ name: 'Second', handle: 'shared' });
    expect(taken.status).toBe(422);
    expect(taken.body).toMatchObject({
      code: 'handle_taken',
      errors: { handle: [expect.any(String)] },
    });

    await create({ name: 'Second', handle: 'second' });
    const renamed = await call(h.app, 'PUT', `${DEFINITIONS}/second`, {
      body: { handle: 'renamed' },
    });
    expect(renamed.status).toBe(200);
    expect([...h.handles.claims.keys()].sort()).toEqual(['renamed', 'shared']);
    expect(
      (await call(h.app, 'PUT', `${DEFINITIONS}/second`, { body: { name: 'x' } })).status,
    ).toBe(404);

    const deleted = await call(h.app, 'DELETE', `${DEFINITIONS}/shared`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.data).toMatchObject({ id: 1, version: 2 });
    expect((await call(h.app, 'GET', `${DEFINITIONS}/1`)).status).toBe(404);
    expect((await create({ name: 'Third', handle: 'shared' })).status).toBe(201);
  });

  it('takes over a stale claim whose group never came to exist', async () => {
    h.handles.claims.set('orphan', {
      _id: 'orphan',
      owner_id: 99,
      claim_id: 'crashed',
      claimed_at: new Date('2026-03-01T09:00:00.000Z'),
    });

    const created = await create({ name: 'Orphan', handle: 'orphan' });

    expect(created.status).toBe(201);
    expect(h.handles.claims.get('orphan')?.owner_id).toBe(created.body.data.id);
  });

  it('browses with filters and pagination links', async () => {
    for (const name of ['A', 'B', 'C']) await create({ name });
    await call(h.app, 'PUT', `${DEFINITIONS}/b`, { body: { is_active: false } });

    const page = await call(
      h.app,
      'GET',
      `${DEFINITIONS}?is_active=true&page[size]=1&page[number]=2`,
    );

    expect(page.status).toBe(200);
    expect(page.body.data.map((d: { handle: string }) => d.handle)).toEqual(['c']);
    expect(page.body.meta).toEqual({
      current_page: 2,
      from: 2,
      last_page: 2,
      path: 'http://groups.test/api/v3/groups/definitions',
      per_page: 1,
      to: 2,
      total: 2,
    });
    expect(page.body.links.prev).toBe(
      'http://groups.test/api/v3/groups/definitions?is_active=true&page[number]=1&page[size]=1',
    );
    expect(page.body.links.next).toBeNull();

    const bad = await call(h.app, 'GET', `${DEFINITIONS}?is_active=yes&page[size]=501&color=red`);
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['color', 'is_active', 'page[size]']);
  });

  it('adds one member, many members, re-adds, lists and removes', async () => {
    await create({ name: 'Static' });
    const members = `${DEFINITIONS}/static/profiles`;

    const one = await call(h.app, 'POST', members, {
      body: { profile_id: 'p-1', meta: { via: 'api' } },
    });
    expect(one.status).toBe(201);
    expect(one.body.data).toMatchObject({
      profile_id: 'p-1',
      group_definition_id: 1,
      removed_at: null,
      meta: { via: 'api' },
    });

    const again = await call(h.app, 'POST', members, { body: { profile_id: 'p-1' } });
    expect(again.status).toBe(200);
    expect(again.body.data.id).toBe(one.body.data.id);

    const ids = Array.from({ length: 40 }, (_, i) => `p-${i}`);
    const many = await call(h.app, 'POST', members, { body: { profile_ids: [...ids, 'p-3'] } });
    expect(many.status).toBe(201);
    expect(many.body.data).toHaveLength(40);
    expect(many.body.data[1].id).toBe(one.body.data.id);

    const removed = await call(h.app, 'POST', `${members}/p-1/remove`, {
      body: { removed_reason: 'asked to leave', removed_by_profile_id: 'staff-7' },
    });
    expect(removed.status).toBe(200);
    expect(removed.body.data).toMatchObject({
      profile_id: 'p-1',
      removal_type: 'manual',
      removed_reason: 'asked to leave',
    });
    const [removal] = h.store.eventsOf('group-member-1-p-1').slice(-1);
    expect(removal).toMatchObject({ type: 'MemberRemoved', data: { reason: 'manual' } });

    const notMember = await call(h.app, 'POST', `${members}/p-1/remove`);
    expect(notMember.status).toBe(404);
    expect(notMember.body.code).toBe('not_a_member');

    const listed = await call(h.app, 'GET', `${members}?page[size]=50`);
    expect(listed.body.meta.total).toBe(39);
    const withRemoved = await call(h.app, 'GET', `${members}?include_removed=1&page[size]=50`);
    expect(withRemoved.body.meta.total).toBe(40);
  });

  it('re-reads and retries only the pairs that conflicted', async () => {
    await create({ name: 'Busy' });
    h.store.conflictOnce.add('group-member-1-b');

    const added = await call(h.app, 'POST', `${DEFINITIONS}/1/profiles`, {
      body: { profile_ids: ['a', 'b', 'c'] },
    });

    expect(added.status).toBe(201);
    expect(added.body.data.map((row: { profile_id: string }) => row.profile_id)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(h.store.eventsOf('group-member-1-b')).toHaveLength(1);
  });

  it('starts a new membership when the current one has expired', async () => {
    await create({ name: 'Trial', period: 1, period_type: 'days' });
    const first = await call(h.app, 'POST', `${DEFINITIONS}/1/profiles`, {
      body: { profile_id: 'p' },
    });
    h.clock.now = new Date('2026-03-03T10:00:00.000Z');

    const second = await call(h.app, 'POST', `${DEFINITIONS}/1/profiles`, {
      body: { profile_id: 'p' },
    });

    expect(second.status).toBe(201);
    expect(second.body.data.id).not.toBe(first.body.data.id);
    expect(h.store.eventsOf('group-member-1-p').map((e) => e.type)).toEqual([
      'MemberAdded',
      'MemberRemoved',
      'MemberAdded',
    ]);
  });

  it('refuses members for a dynamic group and for an archived one', async () => {
    await create({ name: 'Dyn', type: 'dynamic', query: { '==': [1, 1] } });
    await create({ name: 'Old', is_archived: true });

    const dynamic = await call(h.app, 'POST', `${DEFINITIONS}/dyn/profiles`, {
      body: { profile_id: 'p' },
    });
    const archived = await call(h.app, 'POST', `${DEFINITIONS}/old/profiles`, {
      body: { profile_id: 'p' },
    });

    expect(dynamic.status).toBe(422);
    expect(dynamic.body).toMatchObject({
      code: 'wrong_group_type',
      errors: { group: [expect.any(String)] },
    });
    expect(archived.body).toMatchObject({
      code: 'group_archived',
      errors: { is_archived: [expect.any(String)] },
    });
  });

  it('answers 400 for malformed JSON or a body that is not JSON, never 500', async () => {
    const malformed = await call(h.app, 'POST', DEFINITIONS, { raw: '{"name": "x",' });
    const array = await call(h.app, 'POST', DEFINITIONS, { raw: '[1,2]' });
    const text = await call(h.app, 'POST', DEFINITIONS, {
      raw: 'name=x',
      headers: { 'content-type': 'text/plain' },
    });

    expect(malformed).toMatchObject({ status: 400, body: { code: 'malformed_json' } });
    expect(malformed.body.message).not.toContain('name');
    expect(array).toMatchObject({ status: 400, body: { code: 'malformed_body' } });
    expect(text).toMatchObject({ status: 400, body: { code: 'unsupported_content_type' } });
  });

  it('refuses prototype keys inside free-form JSON, naming the path', async () => {
    const refused = await call(h.app, 'POST', DEFINITIONS, {
      raw: '{"name":"x","type":"static","meta":{"a":{"__proto__":{"admin":true}}}}',
    });

    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual({
      'meta.a.__proto__': ['The key __proto__ is not allowed.'],
    });
  });

  it('answers 413 past the body limit and 404 for an unknown route', async () => {
    const huge = await call(h.app, 'POST', DEFINITIONS, {
      body: { name: 'x', type: 'static', description: 'x'.repeat(3 * 1024 * 1024) },
    });
    const unknown = await call(h.app, 'GET', '/api/v3/nothing-here');
    const outside = await call(h.app, 'GET', '/');
    const wrongMethod = await call(h.app, 'PATCH', `${DEFINITIONS}/1`, { body: {} });

    expect(huge).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'route_not_found' } });
    expect(outside).toMatchObject({ status: 404, body: { code: 'route_not_found' } });
    expect(wrongMethod).toMatchObject({ status: 404, body: { code: 'route_not_found' } });
  });

  it('accepts 10,000 profile ids in one request', async () => {
    await create({ name: 'Big' });
    const ids = Array.from({ length: 10_000 }, (_, i) => `profile-${String(i).padStart(120, '0')}`);

    const added = await call(h.app, 'POST', `${DEFINITIONS}/1/profiles`, {
      body: { profile_ids: ids },
    });

    expect(added.status).toBe(201);
    expect(added.body.data).toHaveLength(10_000);
  });

  it('needs a token and the route scope; health and docs need none', async () => {
    const anonymous = await call(h.app, 'GET', DEFINITIONS, { token: null });
    const wrong = await call(h.app, 'GET', DEFINITIONS, { token: 'nope' });
    const health = await call(h.app, 'GET', '/api/health', { token: null });
    const docs = await call(h.app, 'GET', '/api/docs-json', { token: null });

    expect(anonymous).toMatchObject({
      status: 401,
      body: { message: 'Unauthenticated.', code: 'unauthenticated' },
    });
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    expect(wrong.status).toBe(401);
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', checks: {} } });
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v3/groups/definitions',
        '/api/v3/groups/definitions/{group}',
        '/api/v3/groups/definitions/{group}/profiles',
        '/api/v3/groups/definitions/{group}/profiles/{profile}/remove',
        '/api/v3/groups/rule-definitions',
        '/api/v3/groups/rule-definitions/{ruleDefinition}',
        '/api/v3/groups/definitions/{group}/rules',
        '/api/v3/groups/definitions/{group}/rules/{rule}',
        '/api/v3/groups/definitions/{group}/refresh',
        '/api/v3/groups/definitions/preview',
        '/api/v3/groups/definitions/{group}/snapshots',
        '/api/v3/groups/definitions/{group}/snapshots/{snapshot}',
        '/api/v3/groups/definitions/{group}/snapshots/{snapshot}/profiles',
        '/api/v3/groups/definitions/{group}/explain/{profile}',
        '/api/v3/profiles/{profile}',
        '/api/v3/profiles/{profile}/connections/{connected}',
        '/api/v3/profiles/{profile}/groups',
        '/api/v3/profiles/{profile}/groups/{group}',
        '/api/v3/profiles/{profile}/groups/{group}/profiles',
        '/api/v3/profiles/{profile}/groups/{group}/profiles/{member}/remove',
        '/api/health',
      ]),
    );
    expect(docs.body.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
  });

  it('answers 500 with no detail for a failure it did not expect, and logs the detail', async () => {
    h.store.nextSequence = () => Promise.reject(new Error('connection pool closed'));

    const failed = await create({ name: 'Doomed' });

    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ message: 'Server Error.', code: 'internal_error' });
    const logged = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 'error',
        msg: 'http.unhandled_error',
        route: '/api/v3/groups/definitions',
        error: expect.objectContaining({ message: 'connection pool closed' }),
      }),
    );
  });

  it('logs one http.request line per request with the correlation id it echoes', async () => {
    const reply = await call(h.app, 'GET', `${DEFINITIONS}/42`, {
      headers: { 'X-Request-Id': 'req-123' },
    });

    expect(reply.headers['x-correlation-id']).toBe('req-123');
    const lines = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'http.request',
        correlation_id: 'req-123',
        method: 'GET',
        route: '/api/v3/groups/definitions/:group',
        status: 404,
        duration_ms: expect.any(Number),
      }),
    );
  });
});

describe('command API with configured tokens', () => {
  it("refuses local-dev-token and enforces each token's scopes", async () => {
    const h = await harness({
      AUTH_MODE: 'tokens',
      AUTH_TOKENS: 'reader-secret=read-group-definitions',
    });
    try {
      const local = await call(h.app, 'GET', DEFINITIONS, { token: 'local-dev-token' });
      const read = await call(h.app, 'GET', DEFINITIONS, { token: 'reader-secret' });
      const write = await call(h.app, 'POST', DEFINITIONS, {
        token: 'reader-secret',
        body: { name: 'x', type: 'static' },
      });

      expect(local.status).toBe(401);
      expect(read.status).toBe(200);
      expect(write.status).toBe(403);
      expect(write.body).toEqual({
        message: 'This action is unauthorized.',
        code: 'forbidden',
        required_scope: 'create-group-definitions',
      });
    } finally {
      await h.app.close();
    }
  });

  it('reports a dependency that is down with 503', async () => {
    const h = await harness({}, [
      { name: 'mongodb', check: async () => {} },
      { name: 'kafka', check: () => Promise.reject(new Error('connect ECONNREFUSED')) },
    ]);
    try {
      const health = await call(h.app, 'GET', '/api/health', { token: null });

      expect(health.status).toBe(503);
      expect(health.body).toEqual({
        status: 'error',
        checks: {
          mongodb: { status: 'up' },
          kafka: { status: 'down', error: 'connect ECONNREFUSED' },
        },
      });
    } finally {
      await h.app.close();
    }
  });
});
