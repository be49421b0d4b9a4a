import { connectTestDb } from '@profile-groups/testing';
import { type Db, type MongoClient } from 'mongodb';

import { PROFILES_COLLECTION, ProfileStore } from './profile-store';
import { SnapshotArchive } from './snapshot-archive';

const AT = '2026-12-01T12:00:00.000Z';

describe('ProfileStore and SnapshotArchive on a real MongoDB wire server', () => {
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    ({ client, db } = await connectTestDb('evaluation-store'));
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  const at = (offset: number) => ({ partition: 0, offset: BigInt(offset) });
  const upsert = (attributes: Record<string, string>) =>
    ({ kind: 'upsert', attributes, at: AT }) as const;

  it('versions each applied change and ignores a redelivered one', async () => {
    const store = new ProfileStore(db);
    await store.open();
    expect(await store.apply('a', upsert({ tier: 'gold' }), at(10))).toMatchObject({ version: 1 });
    expect(await store.apply('a', upsert({ tier: 'silver' }), at(11))).toMatchObject({
      version: 2,
      attributes: { tier: 'silver' },
    });
    expect(await store.apply('a', upsert({ tier: 'gold' }), at(10))).toBeUndefined();
    expect(await store.apply('a', upsert({ tier: 'silver' }), at(11))).toBeUndefined();

    // Another process reads the head, without the writer's memory.
    expect(await new ProfileStore(db).get('a')).toMatchObject({
      version: 2,
      attributes: { tier: 'silver' },
    });
  });

  it('keeps a tombstone, so a late redelivery cannot bring a deleted profile back', async () => {
    const store = new ProfileStore(db);
    await store.open();
    await store.apply('b', upsert({ tier: 'gold' }), at(20));
    expect(await store.apply('b', { kind: 'delete', at: AT }, at(21))).toBeNull();
    expect(await store.apply('b', upsert({ tier: 'gold' }), at(20))).toBeUndefined();
    expect(await store.get('b')).toBeNull();
    expect(await store.apply('b', upsert({ tier: 'bronze' }), at(22))).toMatchObject({
      version: 3,
    });
  });

  it('sweeps superseded versions, and open() removes those a crash left behind', async () => {
    const store = new ProfileStore(db);
    await store.open();
    await store.apply('c', upsert({ n: '1' }), at(30));
    await store.apply('c', upsert({ n: '2' }), at(31));
    const versions = db.collection(PROFILES_COLLECTION);
    expect(await versions.countDocuments({ profile_id: 'c' })).toBe(2);
    // Scans skip the superseded version even before the sweep.
    const seen: string[] = [];
    for await (const batch of store.scan(2)) {
      seen.push(...batch.filter((p) => p.profile_id === 'c').map((p) => p.attributes.n as string));
    }
    expect(seen).toEqual(['2']);

    // The writer "crashed" before sweeping: the next one cleans up on open.
    const next = new ProfileStore(db);
    await next.open();
    expect(await versions.countDocuments({ profile_id: 'c' })).toBe(1);
    expect(next.versionOf('c')).toBe(2);

    await next.apply('c', upsert({ n: '3' }), at(32));
    await next.sweep();
    expect(await versions.countDocuments({ profile_id: 'c' })).toBe(1);
  });

  it('archives results in chunks, filters them, finds one, and keeps the first copy', async () => {
    const archive = new SnapshotArchive(db);
    const results = Array.from({ length: 2500 }, (_, i) => ({
      profile_id: `p${i}`,
      profile_version: 1,
      included: i % 2 === 0,
      matched_rule_ids: i % 2 === 0 ? [7] : [],
      changed: i % 10 === 0,
    }));
    expect(await archive.write('s1', 1, results)).toBe(3);
    expect(await archive.write('s1', 1, results.slice(0, 5))).toBe(1);

    expect(await archive.results('s1')).toHaveLength(2500);
    expect(await archive.results('s1', { included: true, changed: true })).toHaveLength(250);
    expect(await archive.resultFor('s1', 'p2001')).toMatchObject({ included: false });
    expect(await archive.resultFor('s1', 'nobody')).toBeNull();
  });
});
