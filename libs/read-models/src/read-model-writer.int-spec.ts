import {
  type EventEnvelope,
  type GroupDefinitionEvent,
  groupDefinitionStream,
  type MembershipEvent,
  membershipStream,
} from '@profile-groups/contracts';
import { connectTestDb, groupAttributes } from '@profile-groups/testing';
import { type Db, type MongoClient } from 'mongodb';

import { ReadModelQueries } from './read-model-queries';
import { ReadModelWriter } from './read-model-writer';
import { collectionsWithSuffix, DEFINITION_CODEC, MEMBERSHIP_CODEC } from './views';

const time = '2026-02-01T10:00:00.000Z';

function envelope<E extends GroupDefinitionEvent | MembershipEvent>(
  stream: string,
  version: number,
  event: E,
): EventEnvelope {
  return {
    id: `${stream}@${version}`,
    type: event.type,
    schema_version: 1,
    stream,
    stream_version: version,
    time,
    correlation_id: 'c',
    causation_id: null,
    actor: null,
    data: event.data,
  };
}

const created = envelope(groupDefinitionStream(5), 1, {
  type: 'GroupDefinitionCreated',
  data: {
    group_definition_id: 5,
    definition: groupAttributes({ name: 'Loyal', handle: 'loyal', meta: { tier: 'gold' } }),
    flags: { is_published: false, is_active: true, is_archived: false },
    created_at: time,
  },
});

function added(profile: string, version: number, membership = `m-${profile}-${version}`) {
  return envelope(membershipStream(5, profile), version, {
    type: 'MemberAdded',
    data: {
      group_definition_id: 5,
      profile_id: profile,
      membership_id: membership,
      added_at: time,
      expires_at: null,
      added_by_profile_id: null,
      source_type: null,
      source_id: null,
      meta: null,
    },
  });
}

function removed(profile: string, version: number, membership: string) {
  return envelope(membershipStream(5, profile), version, {
    type: 'MemberRemoved',
    data: {
      group_definition_id: 5,
      profile_id: profile,
      membership_id: membership,
      removed_at: '2026-02-02T10:00:00.000Z',
      reason: 'manual',
      removed_reason: 'asked',
      removed_by_profile_id: 'op',
    },
  });
}

describe('ReadModelWriter against a real MongoDB wire server', () => {
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    ({ client, db } = await connectTestDb('read_models'));
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('given events, builds the documents; applying them all again changes nothing', async () => {
    const writer = new ReadModelWriter(db, collectionsWithSuffix('_a'));
    await writer.ensureIndexes();
    const history = [
      added('p1', 1), // a membership event may be consumed before its group's creation
      created,
      added('p2', 1),
      removed('p1', 2, 'm-p1-1'),
      added('p1', 3),
      envelope(groupDefinitionStream(5), 2, {
        type: 'GroupDefinitionArchived',
        data: { group_definition_id: 5, updated_at: '2026-02-03T00:00:00.000Z' },
      }),
    ];
    for (const event of history) await writer.apply(event);
    await writer.flush();
    const snapshot = async () => {
      const definition = await writer.definitions.findOne({ _id: 5 });
      const memberships = await writer.memberships.find({}).sort({ _id: 1 }).toArray();

      return {
        definition: definition && DEFINITION_CODEC.decode(definition),
        memberships: memberships.map((membership) => MEMBERSHIP_CODEC.decode(membership)),
      };
    };
    const first = await snapshot();

    expect(first.definition).toMatchObject({
      _id: 5,
      handle: 'loyal',
      version: 2,
      is_archived: true,
      is_deleted: false,
      meta: { tier: 'gold' },
      current_member_count: 2,
    });
    expect(first.memberships.map((m) => [m._id, m.is_current, m.removed_reason])).toEqual([
      ['m-p1-1', false, 'asked'],
      ['m-p1-3', true, null],
      ['m-p2-1', true, null],
    ]);

    for (const event of [...history].reverse()) await writer.apply(event);
    for (const event of history) await writer.apply(event);
    await writer.flush();
    expect(await snapshot()).toEqual(first);
  });

  it('keeps a removal applied before its add, and ends with what the order in history gives', async () => {
    const inOrder = new ReadModelWriter(db, collectionsWithSuffix('_order'));
    const reordered = new ReadModelWriter(db, collectionsWithSuffix('_reorder'));
    for (const writer of [inOrder, reordered]) await writer.ensureIndexes();
    const history = [created, added('p1', 1), removed('p1', 2, 'm-p1-1'), added('p2', 1)];
    for (const event of history) await inOrder.apply(event);
    await inOrder.flush();

    // A rebuild's catch-up and the live projection can apply one pair's events so.
    await reordered.apply(created);
    await reordered.apply(removed('p1', 2, 'm-p1-1'));
    await reordered.flush();
    const queries = new ReadModelQueries(db, collectionsWithSuffix('_reorder'));
    const all = { number: 1, size: 10 };
    // Until its add arrives, the removal shows nowhere.
    expect((await queries.members(5, { includeRemoved: true }, all)).items).toEqual([]);
    expect((await queries.membersAsOf(5, '2026-02-01T12:00:00.000Z', all)).items).toEqual([]);
    await reordered.apply(added('p2', 1));
    await reordered.apply(added('p1', 1));
    await reordered.flush();

    const decoded = async (writer: ReadModelWriter) =>
      (await writer.memberships.find({}).sort({ _id: 1 }).toArray()).map((stored) =>
        MEMBERSHIP_CODEC.decode(stored),
      );
    const expected = await decoded(inOrder);
    expect(expected.map((m) => [m._id, m.is_current])).toEqual([
      ['m-p1-1', false],
      ['m-p2-1', true],
    ]);
    // Same fields and values, whatever order the fields were written in.
    expect(await decoded(reordered)).toEqual(expected);
    // Redelivered, in either order, changes nothing.
    await reordered.apply(removed('p1', 2, 'm-p1-1'));
    await reordered.apply(added('p1', 1));
    await reordered.flush();
    expect(await decoded(reordered)).toEqual(expected);
    expect((await reordered.definitions.findOne({ _id: 5 }))?.current_member_count).toBe(1);
    expect((await queries.members(5, { includeRemoved: true }, all)).total).toBe(2);
  });

  it('browses without profiles` own groups unless asked, and lists a profile`s memberships', async () => {
    const collections = collectionsWithSuffix('_b');
    const writer = new ReadModelWriter(db, collections);
    const queries = new ReadModelQueries(db, collections);
    const instance = envelope(groupDefinitionStream(6), 1, {
      type: 'FavouriteGroupActivated',
      data: {
        group_definition_id: 6,
        favourite_definition_id: 5,
        owner_profile_id: 'owner-1',
        definition: groupAttributes({
          type: 'favourite',
          handle: 'loyal@owner-1',
          source_type: 'friend',
          source_id: '5',
          owner_profile_id: 'owner-1',
        }),
        flags: { is_published: false, is_active: true, is_archived: false },
        activated_at: time,
      },
    });
    const joined = envelope(membershipStream(6, 'p2'), 1, {
      type: 'MemberAdded',
      data: {
        group_definition_id: 6,
        profile_id: 'p2',
        membership_id: 'm-6-p2',
        added_at: '2026-02-01T11:00:00.000Z',
        expires_at: null,
        added_by_profile_id: null,
        source_type: 'connection',
        source_id: 'friend',
        meta: null,
        owner_profile_id: 'owner-1',
      },
    });
    for (const event of [created, instance, added('p2', 1), joined, removed('p2', 2, 'm-p2-1')]) {
      await writer.apply(event);
    }
    await writer.flush();
    const page = { number: 1, size: 10 };
    const ids = async (filters: Parameters<ReadModelQueries['browseDefinitions']>[0]) =>
      (await queries.browseDefinitions(filters, page)).items.map((item) => item.id);

    expect(await ids({})).toEqual([5]);
    expect(await ids({ include_owned: true })).toEqual([5, 6]);
    expect(await ids({ owner_profile_id: 'owner-1' })).toEqual([6]);
    expect(await ids({ owner_profile_id: 'someone-else' })).toEqual([]);
    const memberships = await queries.membershipsOfProfile('p2', page);
    expect(memberships.total).toBe(1);
    expect(memberships.items.map((m) => [m.group_definition_id, m.source_type])).toEqual([
      [6, 'connection'],
    ]);
  });
});
