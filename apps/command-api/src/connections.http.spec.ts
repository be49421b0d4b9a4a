import { call, type Harness, harness } from '../test/in-memory-api';

const PROFILES = '/api/v3/profiles';

describe('connection input over HTTP (in-memory stores)', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await harness();
  });

  afterEach(async () => {
    await h.app.close();
  });

  it('upserts a connection onto its owner`s stream, replaces it, and removes it', async () => {
    const url = `${PROFILES}/stylist-9/connections/client-7`;

    const first = await call(h.app, 'PUT', url, {
      body: { type: 'stylist-client', status: 'pending' },
    });
    const accepted = await call(h.app, 'PUT', url, {
      body: { type: 'stylist-client', status: 'accepted' },
    });
    const removed = await call(h.app, 'DELETE', url);
    const again = await call(h.app, 'DELETE', url);

    expect(first).toMatchObject({
      status: 200,
      body: {
        data: {
          profile_id: 'stylist-9',
          connected_profile_id: 'client-7',
          type: 'stylist-client',
          status: 'pending',
          version: 1,
        },
      },
    });
    expect(accepted.body.data).toMatchObject({ status: 'accepted', version: 2 });
    expect(removed.body.data).toEqual({
      profile_id: 'stylist-9',
      connected_profile_id: 'client-7',
      type: null,
      status: null,
      version: 3,
    });
    expect(again).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(h.store.eventsOf('connection-stylist-9')).toMatchObject([
      { type: 'ConnectionUpserted', data: { status: 'pending' } },
      {
        type: 'ConnectionUpserted',
        actor: 'local-dev',
        data: {
          profile_id: 'stylist-9',
          connected_profile_id: 'client-7',
          type: 'stylist-client',
          status: 'accepted',
          upserted_at: '2026-03-01T10:00:00.000Z',
        },
      },
      { type: 'ConnectionRemoved', data: { connected_profile_id: 'client-7' } },
    ]);
  });

  it('removes a connection an upstream platform made, which the stream never saw', async () => {
    h.connections.put({
      profile_id: 'stylist-9',
      connected_profile_id: 'client-8',
      type: 'stylist-client',
      status: 'accepted',
    });

    const removed = await call(h.app, 'DELETE', `${PROFILES}/stylist-9/connections/client-8`);
    const unknown = await call(h.app, 'DELETE', `${PROFILES}/stylist-9/connections/nobody`);

    expect(removed.status).toBe(200);
    expect(unknown.status).toBe(404);
    expect(h.store.eventsOf('connection-stylist-9')).toHaveLength(1);
  });

  it('removes a connection the API removed once and an upstream platform accepted again', async () => {
    const url = `${PROFILES}/stylist-9/connections/client-9`;
    await call(h.app, 'PUT', url, { body: { type: 'stylist-client', status: 'accepted' } });
    await call(h.app, 'DELETE', url);
    const connection = {
      profile_id: 'stylist-9',
      connected_profile_id: 'client-9',
      type: 'stylist-client',
      status: 'accepted' as const,
    };
    // The worker's store, still holding the API's own upsert, is older than the removal.
    h.connections.put(connection, '2026-03-01T10:00:00.000Z');
    const removedAgain = await call(h.app, 'DELETE', url);
    h.connections.put(connection, '2026-03-01T10:05:00.000Z');

    const reaccepted = await call(h.app, 'DELETE', url);

    expect(removedAgain).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(reaccepted.status).toBe(200);
    expect(h.store.eventsOf('connection-stylist-9').map((e) => e.type)).toEqual([
      'ConnectionUpserted',
      'ConnectionRemoved',
      'ConnectionRemoved',
    ]);
  });

  it('refuses a self-connection, unusable ids, a bad type or status, and unknown fields', async () => {
    const put = (path: string, body: unknown) =>
      call(h.app, 'PUT', `${PROFILES}/${path}`, { body });
    const good = { type: 'household', status: 'accepted' };

    const self = await put('p-1/connections/p-1', good);
    const nul = await put('p%00x/connections/p-1', good);
    const longId = await put(`p-1/connections/${'c'.repeat(129)}`, good);
    const badType = await put('p-1/connections/p-2', { type: 'House Hold', status: 'accepted' });
    const badStatus = await put('p-1/connections/p-2', { type: 'household', status: 'friends' });
    const missing = await put('p-1/connections/p-2', {});
    const extra = await put('p-1/connections/p-2', { ...good, since: '2020' });
    const selfDelete = await call(h.app, 'DELETE', `${PROFILES}/p-1/connections/p-1`);

    expect(self).toMatchObject({
      status: 422,
      body: {
        code: 'validation_failed',
        errors: { connected: ['A profile cannot be connected to itself.'] },
      },
    });
    expect(Object.keys(nul.body.errors)).toEqual(['profile']);
    expect(Object.keys(longId.body.errors)).toEqual(['connected']);
    expect(Object.keys(badType.body.errors)).toEqual(['type']);
    expect(Object.keys(badStatus.body.errors)).toEqual(['status']);
    expect(Object.keys(missing.body.errors).sort()).toEqual(['status', 'type']);
    expect(extra.body.errors).toEqual({ since: ['The since field is not allowed.'] });
    expect(selfDelete.status).toBe(422);
    expect(h.store.streams.size).toBe(0);
  });

  it('needs the write-profiles scope', async () => {
    const scoped = await harness({
      AUTH_MODE: 'tokens',
      AUTH_TOKENS: 'groups=update-group-definitions;feeder=write-profiles',
    });
    try {
      const url = `${PROFILES}/p-1/connections/p-2`;
      const body = { type: 'household', status: 'accepted' };
      const refused = await call(scoped.app, 'PUT', url, { token: 'groups', body });
      const allowed = await call(scoped.app, 'PUT', url, { token: 'feeder', body });

      expect(refused.body).toMatchObject({ code: 'forbidden', required_scope: 'write-profiles' });
      expect(allowed.status).toBe(200);
    } finally {
      await scoped.app.close();
    }
  });
});
