import { CE, membershipStream, type NewEvent, topicName } from '@profile-groups/contracts';
import { EventStore } from '@profile-groups/event-store';
import {
  collectTopics,
  connectTestDb,
  testKafka,
  uniqueName,
  waitFor,
} from '@profile-groups/testing';
import { type Db, type MongoClient } from 'mongodb';

import { replayMemberships, replayPublisher } from './membership-replay';

const metadata = { correlation_id: 'c', causation_id: null, actor: 'test' };

function added(profileId: string, n: number): NewEvent {
  return {
    type: 'MemberAdded',
    data: {
      group_definition_id: 3,
      profile_id: profileId,
      membership_id: `m-${profileId}-${n}`,
      added_at: '2026-01-01T00:00:00.000Z',
      expires_at: null,
      added_by_profile_id: null,
      source_type: null,
      source_id: null,
      meta: null,
    },
  };
}

function removed(profileId: string, n: number): NewEvent {
  return {
    type: 'MemberRemoved',
    data: {
      group_definition_id: 3,
      profile_id: profileId,
      membership_id: `m-${profileId}-${n}`,
      removed_at: '2026-01-02T00:00:00.000Z',
      reason: 'expired',
      removed_reason: null,
      removed_by_profile_id: null,
    },
  };
}

describe('replayMemberships on real servers', () => {
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    ({ client, db } = await connectTestDb('replay'));
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('publishes the whole membership history, each pair in order, with the stored ids', async () => {
    const store = new EventStore(db);
    const stored = [
      ...(await store.append(
        membershipStream(3, 'p1'),
        0,
        [added('p1', 1), removed('p1', 1), added('p1', 3)],
        metadata,
      )),
      ...(await store.append(membershipStream(3, 'p2'), 0, [added('p2', 1)], metadata)),
    ];
    const kafka = testKafka();
    const prefix = `${uniqueName('replay')}.`;
    const publisher = await replayPublisher(kafka, prefix, 3, 1_048_576);

    const totals = await replayMemberships(store, publisher);
    await publisher.disconnect();

    expect(totals).toEqual({ pairs: 2, events: 4, refused: 0 });
    const topic = await collectTopics(kafka, [topicName(prefix, 'memberships')]);
    try {
      const messages = await waitFor(
        () => (topic.messages.length >= 4 ? topic.messages : undefined),
        { what: 'four replayed records' },
      );
      const ofPair = (profile: string) =>
        messages
          .filter((m) => m.key === membershipStream(3, profile))
          .map((m) => [m.headers[CE.type], m.headers[CE.id]]);
      expect(ofPair('p1')).toEqual(stored.slice(0, 3).map((e) => [e.type, e.id]));
      expect(ofPair('p2')).toEqual([[stored[3]!.type, stored[3]!.id]]);
    } finally {
      await topic.stop();
    }
  });
});
