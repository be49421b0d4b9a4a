import { connectTestDb } from '@profile-groups/testing';
import { type Db, type MongoClient } from 'mongodb';

import { CONNECTIONS_COLLECTION, type ConnectionChange, ConnectionStore } from './connection-store';

const AT = '2026-12-01T12:00:00.000Z';

describe('ConnectionStore on a real MongoDB wire server', () => {
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    ({ client, db } = await connectTestDb('connection-store'));
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  const at = (offset: number) => ({ partition: 0, offset: BigInt(offset) });
  const accepted: ConnectionChange = {
    kind: 'upsert',
    type: 'stylist-client',
    status: 'accepted',
    at: AT,
  };
  const declined: ConnectionChange = { ...accepted, status: 'declined' };
  const removal: ConnectionChange = { kind: 'remove', at: AT };

  it('versions each applied change per pair, says what it replaced, ignores redeliveries', async () => {
    const store = new ConnectionStore(db);
    await store.open();

    const first = await store.apply('stylist', 'c-1', accepted, at(10));
    const second = await store.apply('stylist', 'c-1', declined, at(12));

    expect(first).toEqual({
      previous: null,
      current: expect.objectContaining({ type: 'stylist-client', status: 'accepted', version: 1 }),
    });
    expect(second?.previous).toMatchObject({ status: 'accepted', version: 1 });
    expect(second?.current).toMatchObject({ status: 'declined', version: 2 });
    expect(await store.apply('stylist', 'c-1', accepted, at(10))).toBeUndefined();
    expect(await store.apply('stylist', 'c-1', declined, at(12))).toBeUndefined();
    // Each pair has a position of its own: another connection of the owner still applies.
    expect(await store.apply('stylist', 'c-2', accepted, at(11))).toMatchObject({
      current: { connected_profile_id: 'c-2' },
    });
    expect(store.current('stylist', 'c-1')).toMatchObject({ status: 'declined' });

    // Another process reads the heads, without the writer's memory.
    const reader = new ConnectionStore(db);
    expect(await reader.find('stylist', 'c-1')).toMatchObject({ status: 'declined', version: 2 });
    const all = await reader.connectionsOf('stylist');
    expect(all.map((c) => [c.connected_profile_id, c.status]).sort()).toEqual([
      ['c-1', 'declined'],
      ['c-2', 'accepted'],
    ]);
  });

  it('keeps a tombstone, so a late redelivery cannot bring a removed connection back', async () => {
    const store = new ConnectionStore(db);
    await store.open();
    await store.apply('owner-b', 'c-1', accepted, at(20));

    expect(await store.apply('owner-b', 'c-1', removal, at(21))).toEqual({
      previous: expect.objectContaining({ status: 'accepted' }),
      current: null,
    });
    expect(await store.apply('owner-b', 'c-1', accepted, at(20))).toBeUndefined();
    expect(await store.find('owner-b', 'c-1')).toBeNull();
    expect(await store.connectionsOf('owner-b')).toEqual([]);
    expect(await store.apply('owner-b', 'c-1', accepted, at(22))).toMatchObject({
      previous: null,
      current: { version: 3 },
    });
  });

  it('tells a pair`s last change with its time, a removal too, and nothing for a pair never seen', async () => {
    const store = new ConnectionStore(db);
    await store.open();
    await store.apply('owner-last', 'c-1', accepted, at(20));
    await store.apply(
      'owner-last',
      'c-1',
      { kind: 'remove', at: '2026-12-01T13:00:00.000Z' },
      at(21),
    );

    expect(await store.lastChange('owner-last', 'c-1')).toEqual({
      connection: null,
      at: '2026-12-01T13:00:00.000Z',
    });
    await store.apply('owner-last', 'c-1', accepted, at(22));
    expect(await store.lastChange('owner-last', 'c-1')).toEqual({
      connection: expect.objectContaining({ status: 'accepted', version: 3 }),
      at: AT,
    });
    expect(await store.lastChange('owner-last', 'nobody')).toBeNull();
  });

  it('sweeps superseded versions, and open() removes those a crash left behind', async () => {
    const store = new ConnectionStore(db);
    await store.open();
    const weird = 'owner "c", with [brackets]';
    await store.apply(weird, 'c-1', accepted, at(30));
    await store.apply(weird, 'c-1', declined, at(31));
    const versions = db.collection(CONNECTIONS_COLLECTION);
    expect(await versions.countDocuments({ profile_id: weird })).toBe(2);

    const next = new ConnectionStore(db);
    await next.open();
    expect(await versions.countDocuments({ profile_id: weird })).toBe(1);
    expect(next.current(weird, 'c-1')).toMatchObject({ status: 'declined', version: 2 });

    await next.apply(weird, 'c-1', accepted, at(32));
    await next.sweep();
    expect(await versions.countDocuments({ profile_id: weird })).toBe(1);
    expect(await next.find(weird, 'c-1')).toMatchObject({ status: 'accepted', version: 3 });
  });
});
