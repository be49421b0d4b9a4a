import {
  type EnvelopeOf,
  groupDefinitionStream,
  type MemberRemoved,
  membershipStream,
} from '@profile-groups/contracts';
import { EventStore } from '@profile-groups/event-store';
import { connectTestDb, groupAttributes } from '@profile-groups/testing';
import { type Db, type MongoClient } from 'mongodb';

import { MembershipLifecycle } from './membership-lifecycle';

const metadata = { correlation_id: 'c', causation_id: null, actor: 'test' };
const GROUP = 7;

describe('MembershipLifecycle on a real MongoDB wire server', () => {
  let client: MongoClient;
  let db: Db;
  let store: EventStore;

  beforeAll(async () => {
    ({ client, db } = await connectTestDb('lifecycle'));
    store = new EventStore(db);
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  async function createGroup(): Promise<void> {
    await store.append(
      groupDefinitionStream(GROUP),
      0,
      [
        {
          type: 'GroupDefinitionCreated',
          data: {
            group_definition_id: GROUP,
            definition: groupAttributes({ name: 'Big', handle: 'big' }),
            flags: { is_published: false, is_active: true, is_archived: false },
            created_at: new Date().toISOString(),
          },
        },
      ],
      metadata,
    );
  }

  async function addMembers(count: number): Promise<string[]> {
    const profiles = Array.from({ length: count }, (_, i) => `p-${i}`);
    const added_at = new Date().toISOString();
    await store.appendMany(
      profiles.map((profile) => ({
        stream: membershipStream(GROUP, profile),
        expectedVersion: 0,
        events: [
          {
            type: 'MemberAdded',
            data: {
              group_definition_id: GROUP,
              profile_id: profile,
              membership_id: `m-${profile}`,
              added_at,
              expires_at: null,
              added_by_profile_id: null,
              source_type: null,
              source_id: null,
              meta: null,
            },
          },
        ],
      })),
      metadata,
    );

    return profiles;
  }

  async function deleteGroup(): Promise<void> {
    await store.append(
      groupDefinitionStream(GROUP),
      1,
      [
        {
          type: 'GroupDefinitionDeleted',
          data: { group_definition_id: GROUP, handle: 'big', deleted_at: new Date().toISOString() },
        },
      ],
      metadata,
    );
  }

  it('ends a large deleted group in chunks, calling back between them, and only once', async () => {
    await createGroup();
    const profiles = await addMembers(1_200);
    const lifecycle = new MembershipLifecycle(store);
    expect(await lifecycle.endMembershipsOf(GROUP, metadata)).toBe(0); // not deleted yet

    await deleteGroup();
    let chunks = 0;
    const ended = await lifecycle.endMembershipsOf(
      GROUP,
      metadata,
      () => {
        chunks++;

        return Promise.resolve();
      },
      500,
    );

    expect(ended).toBe(1_200);
    expect(chunks).toBe(3);
    const pairs = await store.readStreams('group-member', { group_definition_id: GROUP });
    expect(pairs.size).toBe(profiles.length);
    for (const read of pairs.values()) {
      expect(read.version).toBe(2);
      const removed = read.events[1] as unknown as EnvelopeOf<MemberRemoved>;
      expect(removed.type).toBe('MemberRemoved');
      expect(removed.data.reason).toBe('group_deleted');
    }
    // A redelivery of the deletion finds nothing left to end.
    expect(await lifecycle.endMembershipsOf(GROUP, metadata)).toBe(0);
  });
});
