import { call, DEFINITIONS, type Harness, harness } from '../test/in-memory-api';

const PROFILES = '/api/v3/profiles';
const GROUPS = `${PROFILES}/stylist-9/groups`;

describe('profile-owned (favourite) groups over HTTP (in-memory stores)', () => {
  let h: Harness;
  let definitionId: number;

  beforeEach(async () => {
    h = await harness();
    const created = await call(h.app, 'POST', DEFINITIONS, {
      body: {
        name: 'My clients',
        handle: 'stylist-clients',
        type: 'favourite',
        source_type: 'stylist-client',
        short_description: 'Clients I look after',
        is_published: true,
      },
    });
    definitionId = created.body.data.id as number;
  });

  afterEach(async () => {
    await h.app.close();
  });

  async function activate(profile = 'stylist-9', reference: unknown = 'stylist-clients') {
    return call(h.app, 'POST', `${PROFILES}/${profile}/groups`, {
      body: { group_definition_id: reference },
    });
  }

  it('activates an instance once per definition and owner, copied from the definition', async () => {
    const first = await activate();
    const again = await activate('stylist-9', definitionId);
    const other = await activate('stylist-3');

    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({
      name: 'My clients',
      handle: 'stylist-clients@stylist-9',
      type: 'favourite',
      source_type: 'stylist-client',
      source_id: String(definitionId),
      short_description: 'Clients I look after',
      owner_profile_id: 'stylist-9',
      is_published: true,
      is_active: true,
      is_archived: false,
      version: 1,
    });
    expect(first.body.data.id).toBeGreaterThan(definitionId);
    expect(again).toMatchObject({ status: 200, body: { data: { id: first.body.data.id } } });
    expect(other.status).toBe(201);
    expect(other.body.data.id).not.toBe(first.body.data.id);
    expect(h.store.eventsOf(`group-definition-${first.body.data.id}`)).toMatchObject([
      {
        type: 'FavouriteGroupActivated',
        data: { favourite_definition_id: definitionId, owner_profile_id: 'stylist-9' },
      },
    ]);
  });

  it('refuses what cannot be activated with a 422 on group_definition_id', async () => {
    const staticGroup = await call(h.app, 'POST', DEFINITIONS, {
      body: { name: 'Plain', type: 'static' },
    });
    const dormant = await call(h.app, 'POST', DEFINITIONS, {
      body: { name: 'Dormant', type: 'favourite', source_type: 'household', is_active: false },
    });
    const instance = (await activate()).body.data.id as number;

    expect(dormant.body.data.handle).toBe('dormant');
    for (const reference of [staticGroup.body.data.id, 'dormant', 'no-such-group', instance]) {
      const refused = await activate('stylist-9', reference);
      expect(refused).toMatchObject({
        status: 422,
        body: { code: 'validation_failed', errors: { group_definition_id: [expect.any(String)] } },
      });
    }
    const missing = await call(h.app, 'POST', GROUPS, { body: {} });
    const wrongShape = await activate('stylist-9', { id: 1 });
    const badOwner = await activate(`${'p'.repeat(129)}`);
    expect(Object.keys(missing.body.errors)).toEqual(['group_definition_id']);
    expect(Object.keys(wrongShape.body.errors)).toEqual(['group_definition_id']);
    expect(Object.keys(badOwner.body.errors)).toEqual(['profile']);
  });

  it('lists a profile`s instances; browsing definitions leaves them out unless asked', async () => {
    const instance = (await activate()).body.data.id as number;
    const ids = async (url: string) =>
      ((await call(h.app, 'GET', url)).body.data as { id: number }[]).map((g) => g.id);

    expect(await ids(GROUPS)).toEqual([instance]);
    expect(await ids(`${PROFILES}/someone-else/groups`)).toEqual([]);
    expect(await ids(DEFINITIONS)).toEqual([definitionId]);
    expect(await ids(`${DEFINITIONS}?include_owned=true`)).toEqual([definitionId, instance]);
    expect(await ids(`${DEFINITIONS}?owner_profile_id=stylist-9`)).toEqual([instance]);
    const listed = await call(h.app, 'GET', GROUPS);
    expect(listed.body.meta).toMatchObject({ total: 1, current_page: 1 });
  });

  it('finds the instance by its id or its definition`s, and nothing the profile does not own', async () => {
    const instance = (await activate()).body.data.id as number;
    const plain = await call(h.app, 'POST', DEFINITIONS, {
      body: { name: 'Plain', type: 'static' },
    });

    for (const segment of [instance, definitionId, 'stylist-clients']) {
      const found = await call(h.app, 'GET', `${GROUPS}/${segment}`);
      expect(found).toMatchObject({ status: 200, body: { data: { id: instance } } });
    }
    for (const url of [
      `${PROFILES}/stylist-3/groups/${instance}`,
      `${PROFILES}/stylist-3/groups/stylist-clients`,
      `${GROUPS}/${plain.body.data.id}`,
      `${GROUPS}/9999`,
    ]) {
      expect((await call(h.app, 'GET', url)).body).toMatchObject({ code: 'not_found' });
    }
    // A segment that can name no group at all is refused before any lookup.
    expect((await call(h.app, 'GET', `${GROUPS}/not%20a%20handle`)).body).toMatchObject({
      code: 'validation_failed',
    });
  });

  it('edits what an owner may edit, refusing the rest by field', async () => {
    const instance = (await activate()).body.data.id as number;

    const edited = await call(h.app, 'PUT', `${GROUPS}/stylist-clients`, {
      body: { name: 'Regulars', meta: { colour: 'teal' }, is_active: false },
    });
    const handle = await call(h.app, 'PUT', `${GROUPS}/${instance}`, { body: { handle: 'x' } });
    const generic = await call(h.app, 'PUT', `${DEFINITIONS}/${instance}`, {
      body: { source_type: 'household' },
    });
    const notMine = await call(h.app, 'PUT', `${PROFILES}/stylist-3/groups/${instance}`, {
      body: { name: 'Mine now' },
    });

    expect(edited).toMatchObject({
      status: 200,
      body: {
        data: { id: instance, name: 'Regulars', meta: { colour: 'teal' }, is_active: false },
      },
    });
    expect(handle.body.errors).toEqual({ handle: ['The handle field is not allowed.'] });
    expect(generic).toMatchObject({ status: 422, body: { code: 'immutable_field' } });
    expect(notMine.status).toBe(404);
  });

  it('takes manual members through the owner only, each event naming the owner', async () => {
    const instance = (await activate()).body.data.id as number;
    const members = `${GROUPS}/${instance}/profiles`;

    const added = await call(h.app, 'POST', members, { body: { profile_id: 'client-7' } });
    const listed = await call(h.app, 'GET', members);
    const removed = await call(h.app, 'POST', `${members}/client-7/remove`, {
      body: { removed_reason: 'Moved away' },
    });
    const notMember = await call(h.app, 'POST', `${members}/client-7/remove`, { body: {} });
    const sourced = await call(h.app, 'POST', members, {
      body: { profile_id: 'client-8', source_type: 'import' },
    });
    const staticAdd = await call(h.app, 'POST', `${DEFINITIONS}/${instance}/profiles`, {
      body: { profile_id: 'client-9' },
    });
    const staticRemove = await call(h.app, 'POST', `${DEFINITIONS}/${instance}/profiles/x/remove`, {
      body: {},
    });

    expect(added).toMatchObject({
      status: 201,
      body: { data: { profile_id: 'client-7', source_type: null, group_definition_id: instance } },
    });
    expect(listed.body.data.map((m: { profile_id: string }) => m.profile_id)).toEqual(['client-7']);
    expect(removed).toMatchObject({
      status: 200,
      body: { data: { removal_type: 'manual', removed_reason: 'Moved away' } },
    });
    expect(notMember).toMatchObject({ status: 404, body: { code: 'not_a_member' } });
    expect(sourced.body.errors).toEqual({ source_type: ['The source_type field is not allowed.'] });
    expect(staticAdd).toMatchObject({ status: 422, body: { code: 'wrong_group_type' } });
    expect(staticRemove).toMatchObject({ status: 422, body: { code: 'wrong_group_type' } });
    expect(h.store.eventsOf(`group-member-${instance}-client-7`)).toMatchObject([
      { type: 'MemberAdded', data: { owner_profile_id: 'stylist-9', source_type: null } },
      { type: 'MemberRemoved', data: { owner_profile_id: 'stylist-9', reason: 'manual' } },
    ]);
  });

  it('lists every group a profile is a member of with member=true', async () => {
    const instance = (await activate()).body.data.id as number;
    const plain = await call(h.app, 'POST', DEFINITIONS, {
      body: { name: 'Newsletter', type: 'static' },
    });
    await call(h.app, 'POST', `${GROUPS}/${instance}/profiles`, { body: { profile_id: 'c-1' } });
    await call(h.app, 'POST', `${DEFINITIONS}/${plain.body.data.id}/profiles`, {
      body: { profile_id: 'c-1' },
    });

    const member = await call(h.app, 'GET', `${PROFILES}/c-1/groups?member=true`);
    const owned = await call(h.app, 'GET', `${PROFILES}/c-1/groups`);
    const bad = await call(h.app, 'GET', `${PROFILES}/c-1/groups?member=yes`);

    expect(member.body.data.map((g: { id: number }) => g.id).sort()).toEqual(
      [instance, plain.body.data.id].sort(),
    );
    expect(member.body.meta.total).toBe(2);
    expect(owned.body.data).toEqual([]);
    expect(bad).toMatchObject({ status: 422, body: { errors: { member: [expect.any(String)] } } });
  });

  it('deletes an instance, after which the profile may activate the definition again', async () => {
    const instance = (await activate()).body.data.id as number;

    const deleted = await call(h.app, 'DELETE', `${GROUPS}/stylist-clients`);
    const gone = await call(h.app, 'GET', `${GROUPS}/${instance}`);
    const fresh = await activate();

    expect(deleted.status).toBe(200);
    expect(h.store.eventsOf(`group-definition-${instance}`).map((e) => e.type)).toEqual([
      'FavouriteGroupActivated',
      'GroupDefinitionDeleted',
    ]);
    expect(gone.status).toBe(404);
    expect(fresh.status).toBe(201);
    expect(fresh.body.data.id).not.toBe(instance);
    expect(fresh.body.data.handle).toBe('stylist-clients@stylist-9');
  });

  it('answers two racing activations with one instance', async () => {
    const [a, b] = await Promise.all([activate(), activate()]);

    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.data.id).toBe(b.body.data.id);
    expect((await call(h.app, 'GET', GROUPS)).body.meta.total).toBe(1);
  });

  it('takes over the claim of an instance deleted through the definitions endpoint', async () => {
    const instance = (await activate()).body.data.id as number;

    expect((await call(h.app, 'DELETE', `${DEFINITIONS}/${instance}`)).status).toBe(200);
    const fresh = await activate();

    expect(fresh.status).toBe(201);
    expect(fresh.body.data.id).not.toBe(instance);
  });

  it('activates a definition made with the handle of a deleted one, deleting the old instance', async () => {
    const old = (await activate()).body.data.id as number;
    expect((await call(h.app, 'DELETE', `${DEFINITIONS}/stylist-clients`)).status).toBe(200);
    const recreated = await call(h.app, 'POST', DEFINITIONS, {
      body: { name: 'My clients', handle: 'stylist-clients', type: 'favourite', source_type: 'x' },
    });

    // The worker deletes the old instance too; this one did not get to it yet.
    const fresh = await activate();

    expect(fresh.status).toBe(201);
    expect(fresh.body.data).toMatchObject({
      handle: 'stylist-clients@stylist-9',
      source_id: String(recreated.body.data.id),
    });
    expect(h.store.eventsOf(`group-definition-${old}`).map((e) => e.type)).toEqual([
      'FavouriteGroupActivated',
      'GroupDefinitionDeleted',
    ]);
    const found = await call(h.app, 'GET', `${GROUPS}/stylist-clients`);
    expect(found.body.data.id).toBe(fresh.body.data.id);
  });

  it('refuses a query on a favourite definition with 422 and query_not_supported', async () => {
    const query = { '==': [{ var: 'tier' }, 'gold'] };
    const created = await call(h.app, 'POST', DEFINITIONS, {
      body: { name: 'Gold', type: 'favourite', source_type: 'x', query, query_type: 'jsonlogic' },
    });
    const edited = await call(h.app, 'PUT', `${DEFINITIONS}/stylist-clients`, {
      body: { query, query_type: 'jsonlogic' },
    });

    for (const refused of [created, edited]) {
      expect(refused).toMatchObject({
        status: 422,
        body: { code: 'validation_failed', error_codes: { query: ['query_not_supported'] } },
      });
    }
  });

  it('refuses a manual member once the instance`s absolute_expiry has passed', async () => {
    await call(h.app, 'POST', DEFINITIONS, {
      body: {
        name: 'Season',
        handle: 'season',
        type: 'favourite',
        source_type: 'x',
        absolute_expiry: '2026-03-01T11:00:00.000Z',
      },
    });
    await activate('stylist-9', 'season');
    h.clock.now = new Date('2026-03-01T12:00:00.000Z');

    const refused = await call(h.app, 'POST', `${GROUPS}/season/profiles`, {
      body: { profile_id: 'client-1' },
    });

    expect(refused).toMatchObject({ status: 422, body: { code: 'group_expired' } });
  });

  it('gives a favourite group an owner only by activation', async () => {
    const refused = await call(h.app, 'POST', DEFINITIONS, {
      body: { name: 'Mine', type: 'favourite', source_type: 'household', owner_profile_id: 'p-1' },
    });

    expect(refused).toMatchObject({
      status: 422,
      body: { errors: { owner_profile_id: [expect.any(String)] } },
    });
  });
});
