import { call, type Harness, harness } from '../test/in-memory-api';

const PROFILES = '/api/v3/profiles';

describe('profile input over HTTP (in-memory stores)', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await harness();
  });

  afterEach(async () => {
    await h.app.close();
  });

  it('upserts a profile as sent onto its stream, and deletes it', async () => {
    const attributes = {
      tier: 'gold',
      scores: [[1, 2], [3]],
      $source: { 'crm.id': 'A-1' },
      constructor_name: 'kept',
    };

    const first = await call(h.app, 'PUT', `${PROFILES}/p-1`, { body: attributes });
    const second = await call(h.app, 'PUT', `${PROFILES}/p-1`, { body: { tier: 'silver' } });
    const deleted = await call(h.app, 'DELETE', `${PROFILES}/p-1`);

    expect(first).toMatchObject({
      status: 200,
      body: { data: { profile_id: 'p-1', attributes, version: 1 } },
    });
    expect(second.body.data.version).toBe(2);
    expect(deleted.body.data).toEqual({ profile_id: 'p-1', attributes: null, version: 3 });
    expect(h.store.eventsOf('profile-p-1')).toMatchObject([
      {
        type: 'ProfileUpserted',
        actor: 'local-dev',
        data: { profile_id: 'p-1', attributes, upserted_at: '2026-03-01T10:00:00.000Z' },
      },
      { type: 'ProfileUpserted', data: { attributes: { tier: 'silver' } } },
      { type: 'ProfileDeleted', data: { profile_id: 'p-1' } },
    ]);
  });

  it('retries an upsert that met a concurrent writer of the same profile', async () => {
    h.store.conflictOnce.add('profile-p-2');

    const upserted = await call(h.app, 'PUT', `${PROFILES}/p-2`, { body: { a: 1 } });

    expect(upserted.status).toBe(200);
    expect(h.store.eventsOf('profile-p-2')).toHaveLength(1);
  });

  it('refuses a missing or non-object body, prototype keys and unusable ids', async () => {
    const missing = await call(h.app, 'PUT', `${PROFILES}/p-1`);
    const array = await call(h.app, 'PUT', `${PROFILES}/p-1`, { raw: '[1]' });
    const proto = await call(h.app, 'PUT', `${PROFILES}/p-1`, {
      raw: '{"a":{"__proto__":{"x":1}}}',
    });
    const nul = await call(h.app, 'PUT', `${PROFILES}/p%00x`, { body: {} });
    const long = await call(h.app, 'PUT', `${PROFILES}/${'p'.repeat(129)}`, { body: {} });

    expect(missing).toMatchObject({
      status: 422,
      body: { errors: { body: [expect.any(String)] } },
    });
    expect(array).toMatchObject({ status: 400, body: { code: 'malformed_body' } });
    expect(proto.body.errors).toEqual({ 'a.__proto__': ['The key __proto__ is not allowed.'] });
    expect(Object.keys(nul.body.errors)).toEqual(['profile']);
    expect(long.status).toBe(422);
    expect(h.store.streams.size).toBe(0);
  });

  it('needs the write-profiles scope', async () => {
    const scoped = await harness({
      AUTH_MODE: 'tokens',
      AUTH_TOKENS: 'groups=update-group-definitions;feeder=write-profiles',
    });
    try {
      const refused = await call(scoped.app, 'PUT', `${PROFILES}/p-1`, {
        token: 'groups',
        body: {},
      });
      const allowed = await call(scoped.app, 'DELETE', `${PROFILES}/p-1`, { token: 'feeder' });

      expect(refused.body).toMatchObject({ code: 'forbidden', required_scope: 'write-profiles' });
      expect(allowed.status).toBe(200);
    } finally {
      await scoped.app.close();
    }
  });
});
