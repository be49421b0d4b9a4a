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

  it('refuses with 413 a profile whose event would be too large to publish, storing nothing', async () => {
    // 1.5 MB of UTF-8 in 500,000 UTF-16 units: under the body limit, over the event limit.
    const attributes = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`note_${i}`, '東京都渋谷区'.repeat(8_334)]),
    );
    const body = JSON.stringify(attributes);
    expect(Buffer.byteLength(body)).toBeGreaterThan(1_500_000);
    expect(body.length).toBeLessThan(524_288);

    const refused = await call(h.app, 'PUT', `${PROFILES}/p-big`, { raw: body });
    const after = await call(h.app, 'PUT', `${PROFILES}/p-big`, { body: { tier: 'gold' } });

    expect(refused.status).toBe(413);
    expect(refused.body).toEqual({
      code: 'event_too_large',
      message: expect.stringMatching(
        /^The change would record an event of \d+ bytes; the limit is 524288 bytes\.$/,
      ),
    });
    expect(after.body.data.version).toBe(1);
    expect(h.store.eventsOf('profile-p-big')).toHaveLength(1);
  });

  it('limits the body in bytes received, as configured', async () => {
    const small = await harness({ HTTP_BODY_MAX_BYTES: '4096' });
    // {"a":"..."} is 8 bytes around the value.
    const bodyOf = (value: string) => `{"a":"${value}"}`;
    try {
      const atLimit = await call(small.app, 'PUT', `${PROFILES}/p-1`, {
        raw: bodyOf('x'.repeat(4088)),
      });
      const overLimit = await call(small.app, 'PUT', `${PROFILES}/p-2`, {
        raw: bodyOf('x'.repeat(4089)),
      });
      // 1,371 UTF-16 units, 4,097 bytes.
      const cjk = await call(small.app, 'PUT', `${PROFILES}/p-3`, {
        raw: bodyOf('漢'.repeat(1363)),
      });

      expect(atLimit.status).toBe(200);
      expect(overLimit).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
      expect(cjk).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
      expect([...small.store.streams.keys()]).toEqual(['profile-p-1']);
    } finally {
      await small.app.close();
    }
  });

  it('limits each event in UTF-8 bytes, as configured', async () => {
    const small = await harness({ EVENT_MAX_BYTES: '4096' });
    try {
      // The same 2,000 UTF-16 units: 2,000 bytes of ASCII, 4,000 bytes of emoji.
      const ascii = await call(small.app, 'PUT', `${PROFILES}/p-1`, {
        body: { a: 'x'.repeat(2000) },
      });
      const emoji = await call(small.app, 'PUT', `${PROFILES}/p-2`, {
        body: { a: '😀'.repeat(1000) },
      });

      expect(ascii.status).toBe(200);
      expect(emoji).toMatchObject({ status: 413, body: { code: 'event_too_large' } });
      expect([...small.store.streams.keys()]).toEqual(['profile-p-1']);
    } finally {
      await small.app.close();
    }
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
