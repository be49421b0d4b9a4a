import { connectTestDb } from '@profile-groups/testing';
import { type Db, type MongoClient } from 'mongodb';

import {
  GROUP_HANDLE_NAMESPACE,
  type HandleClaim,
  HandleRegistry,
  RULE_DEFINITION_HANDLE_NAMESPACE,
} from './handle-registry';

function claim(handle: string, ownerId: number, claimId = `c-${ownerId}`): HandleClaim {
  return { _id: handle, owner_id: ownerId, claim_id: claimId, claimed_at: new Date(0) };
}

describe('HandleRegistry against a real MongoDB wire server', () => {
  let client: MongoClient;
  let db: Db;
  let groups: HandleRegistry;
  let templates: HandleRegistry;

  beforeAll(async () => {
    ({ client, db } = await connectTestDb('handles'));
    groups = new HandleRegistry(db, GROUP_HANDLE_NAMESPACE);
    templates = new HandleRegistry(db, RULE_DEFINITION_HANDLE_NAMESPACE);
    await groups.ensureCollection();
    await groups.ensureCollection();
    await templates.ensureCollection();
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('keeps one claim per handle in each namespace, the owner in its own field', async () => {
    expect(await groups.insert(claim('vip', 1))).toBe(true);
    expect(await groups.insert(claim('vip', 2))).toBe(false);
    expect(await templates.insert(claim('vip', 7))).toBe(true);

    expect(await groups.find('vip')).toEqual(claim('vip', 1));
    expect(await templates.find('vip')).toEqual(claim('vip', 7));
    expect(await db.collection('group_handles').findOne({ _id: 'vip' as never })).toMatchObject({
      group_definition_id: 1,
    });
    expect(
      await db.collection('rule_definition_handles').findOne({ _id: 'vip' as never }),
    ).toMatchObject({ rule_definition_id: 7 });
  });

  it('replaces a claim only as it was read, and releases it only for its owner', async () => {
    await templates.insert(claim('spend', 3));
    const read = (await templates.find('spend'))!;

    expect(await templates.replace(read, claim('spend', 4, 'c-new'))).toBe(true);
    expect(await templates.replace(read, claim('spend', 5, 'c-late'))).toBe(false);
    await templates.release('spend', 3);
    expect((await templates.find('spend'))?.owner_id).toBe(4);
    await templates.release('spend', 4);
    expect(await templates.find('spend')).toBeNull();
  });
});
