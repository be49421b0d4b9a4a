import { call, DEFINITIONS, type Harness, harness } from '../test/in-memory-api';

describe('history over HTTP (in-memory stores)', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await harness();
  });

  afterEach(async () => {
    await h.app.close();
  });

  async function staticGroup(handle: string): Promise<number> {
    const created = await call(h.app, 'POST', DEFINITIONS, {
      body: { name: handle, handle, type: 'static' },
    });

    return created.body.data.id as number;
  }

  it("lists a group's events in order with who and why, and keeps them after deletion", async () => {
    const id = await staticGroup('audited');
    await call(h.app, 'POST', `${DEFINITIONS}/audited/profiles`, { body: { profile_ids: ['p1'] } });
    await call(h.app, 'POST', `${DEFINITIONS}/audited/profiles/p1/remove`, {
      body: { removed_reason: 'asked to leave' },
    });
    await call(h.app, 'DELETE', `${DEFINITIONS}/audited`);

    const history = await call(h.app, 'GET', `${DEFINITIONS}/${id}/history`);

    expect(history.status).toBe(200);
    expect(
      (history.body.data as { type: string; stream_version: number }[]).map((e) => [
        e.type,
        e.stream_version,
      ]),
    ).toEqual([
      ['GroupDefinitionCreated', 1],
      ['MemberAdded', 1],
      ['MemberRemoved', 2],
      ['GroupDefinitionDeleted', 2],
    ]);
    expect(history.body.data[2]).toMatchObject({
      stream: `group-member-${id}-p1`,
      actor: expect.any(String) as string,
      correlation_id: expect.any(String) as string,
      data: { reason: 'manual', removed_reason: 'asked to leave' },
    });
    expect(history.body.meta).toMatchObject({ total: 4, current_page: 1 });
    // The handle is released with the deletion; the id still answers.
    expect((await call(h.app, 'GET', `${DEFINITIONS}/audited/history`)).status).toBe(404);
  });

  it('pages through a history and answers 404 for a group that never existed', async () => {
    await staticGroup('paged');
    await call(h.app, 'POST', `${DEFINITIONS}/paged/profiles`, {
      body: { profile_ids: ['a', 'b', 'c'] },
    });

    const second = await call(
      h.app,
      'GET',
      `${DEFINITIONS}/paged/history?page[size]=2&page[number]=2`,
    );

    expect(second.status).toBe(200);
    expect(second.body.data).toHaveLength(2);
    expect(second.body.meta).toMatchObject({ total: 4, last_page: 2 });
    expect((await call(h.app, 'GET', `${DEFINITIONS}/999/history`)).status).toBe(404);
    const bad = await call(h.app, 'GET', `${DEFINITIONS}/paged/history?page[size]=0`);
    expect(bad.status).toBe(422);
  });

  it("lists a profile's membership events across groups, and nothing for a stranger", async () => {
    await staticGroup('one');
    await staticGroup('two');
    await call(h.app, 'POST', `${DEFINITIONS}/one/profiles`, { body: { profile_id: 'shared' } });
    await call(h.app, 'POST', `${DEFINITIONS}/two/profiles`, { body: { profile_id: 'shared' } });
    await call(h.app, 'POST', `${DEFINITIONS}/two/profiles`, { body: { profile_id: 'other' } });
    await call(h.app, 'POST', `${DEFINITIONS}/one/profiles/shared/remove`, { body: {} });

    const history = await call(h.app, 'GET', '/api/v3/profiles/shared/groups/history');

    expect(history.status).toBe(200);
    expect(
      (history.body.data as { type: string; data: { group_definition_id: number } }[]).map((e) => [
        e.type,
        e.data.group_definition_id,
      ]),
    ).toEqual([
      ['MemberAdded', 1],
      ['MemberAdded', 2],
      ['MemberRemoved', 1],
    ]);
    const stranger = await call(h.app, 'GET', '/api/v3/profiles/nobody/groups/history');
    expect(stranger.body).toMatchObject({ data: [], meta: { total: 0 } });
    const tooLong = await call(h.app, 'GET', `/api/v3/profiles/${'x'.repeat(129)}/groups/history`);
    expect(tooLong.status).toBe(422);
  });
});
