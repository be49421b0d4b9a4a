import {
  type EventEnvelope,
  groupDefinitionStream,
  membershipStream,
  type NewEvent,
} from '@profile-groups/contracts';
import { EventStore } from '@profile-groups/event-store';
import {
  connectTestDb,
  groupAttributes,
  memberAddedEvent,
  memberRemovedEvent,
} from '@profile-groups/testing';
import { type Db, type MongoClient } from 'mongodb';

import { ReadModelWriter } from './read-model-writer';
import { diffReadModels, rebuildReadModels } from './rebuild';
import {
  currentRebuild,
  REBUILD_RUNS_COLLECTION,
  RebuildInProgressError,
  type RebuildRun,
  RebuildTakenOverError,
  replaceReadModels,
  type ReplaceProgress,
} from './replace';
import { collectionsWithSuffix, LIVE_COLLECTIONS } from './views';

const metadata = { correlation_id: 'c', causation_id: null, actor: 'test' };

function groupCreated(groupId: number, handle: string): NewEvent {
  return {
    type: 'GroupDefinitionCreated',
    data: {
      group_definition_id: groupId,
      definition: groupAttributes({ name: handle, handle }),
      flags: { is_published: false, is_active: true, is_archived: false },
      created_at: '2026-05-01T09:00:00.000Z',
    },
  };
}

describe('replaceReadModels on a real MongoDB wire server', () => {
  let client: MongoClient;
  let db: Db;
  let store: EventStore;
  let live: ReadModelWriter;

  beforeAll(async () => {
    ({ client, db } = await connectTestDb('replace'));
    store = new EventStore(db);
    await store.ensureIndexes();
    live = new ReadModelWriter(db);
    await live.ensureIndexes();
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  /** Stores events and hands them to the live projection, as the running system does. */
  async function happen(stream: string, version: number, events: NewEvent[]) {
    const stored: EventEnvelope[] = await store.append(stream, version, events, metadata);
    for (const event of stored) await live.apply(event);
    await live.flush();
  }

  async function expectLiveToMatchHistory() {
    const fresh = collectionsWithSuffix(`__check_${Date.now()}`);
    await rebuildReadModels(store, db, fresh);
    expect(await diffReadModels(db, LIVE_COLLECTIONS, fresh)).toEqual([]);
    for (const name of Object.values(fresh)) await db.collection(name).drop();
  }

  async function leftAside(): Promise<string[]> {
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);

    return names.filter((n) => n.includes('__rebuild_') || n.includes('__replaced_'));
  }

  it('repairs a damaged read model while live writes go on, losing none of them', async () => {
    await happen(groupDefinitionStream(1), 0, [
      {
        type: 'GroupDefinitionCreated',
        data: {
          group_definition_id: 1,
          definition: groupAttributes({ name: 'Live', handle: 'live' }),
          flags: { is_published: false, is_active: true, is_archived: false },
          created_at: '2026-05-01T09:00:00.000Z',
        },
      },
    ]);
    for (const profile of ['a', 'b', 'c']) {
      await happen(membershipStream(1, profile), 0, [
        memberAddedEvent(1, profile, `m-1-${profile}`),
      ]);
    }
    // Damage: a lost membership and a wrong count.
    await db.collection<{ _id: string }>(LIVE_COLLECTIONS.memberships).deleteOne({ _id: 'm-1-b' });
    await db
      .collection<{ _id: number }>(LIVE_COLLECTIONS.definitions)
      .updateOne({ _id: 1 }, { $set: { current_member_count: 99 } });

    // While the rebuild runs, the live projection takes a new member into the view
    // that is about to be switched out.
    const phases: string[] = [];
    let wroteDuringRebuild = false;
    await replaceReadModels(store, db, {
      onProgress: (progress: ReplaceProgress) => {
        phases.push(progress.phase);
        if (progress.phase === 'rebuild' && !wroteDuringRebuild) {
          wroteDuringRebuild = true;
          void happen(membershipStream(1, 'd'), 0, [memberAddedEvent(1, 'd', 'm-1-d')]);
        }
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // And one more after the switch, straight into the rebuilt view.
    await happen(membershipStream(1, 'e'), 0, [memberAddedEvent(1, 'e', 'm-1-e')]);

    expect(phases).toEqual(expect.arrayContaining(['rebuild', 'switch', 'catch-up']));
    const fresh = collectionsWithSuffix('__check');
    await rebuildReadModels(store, db, fresh);
    expect(await diffReadModels(db, LIVE_COLLECTIONS, fresh)).toEqual([]);
    const members = await db
      .collection(LIVE_COLLECTIONS.memberships)
      .find({ group_definition_id: 1 })
      .toArray();
    expect(members.map((m) => m.profile_id as string).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    const definition = await db
      .collection<{ _id: number; current_member_count: number }>(LIVE_COLLECTIONS.definitions)
      .findOne({ _id: 1 });
    expect(definition?.current_member_count).toBe(5);
    // Nothing is left aside.
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names.filter((n) => n.includes('__rebuild_') || n.includes('__replaced_'))).toEqual([]);
  });

  it('keeps a removal the live projection applies during the catch-up, before the add it follows', async () => {
    await happen(groupDefinitionStream(2), 0, [groupCreated(2, 'busy')]);
    let stored: EventEnvelope[] = [];
    await replaceReadModels(store, db, {
      onProgress: async (progress: ReplaceProgress) => {
        if (progress.phase === 'switch' && progress.readModel === 'definitions') {
          // Too late for the rebuild; the live projection puts it in the view being
          // switched out, so only the catch-up brings it into the new one.
          await happen(membershipStream(2, 'f'), 0, [memberAddedEvent(2, 'f', 'm-2-f')]);
        }
        if (progress.phase === 'catch-up' && progress.applied === 0) {
          // Too late for the catch-up's read; the live projection is ahead of it.
          stored = await store.append(
            membershipStream(2, 'f'),
            1,
            [memberRemovedEvent(2, 'f', 'm-2-f')],
            metadata,
          );
          for (const event of stored) await live.apply(event);
          await live.flush();
        }
      },
    });

    expect(stored).toHaveLength(1);
    const membership = await db
      .collection(LIVE_COLLECTIONS.memberships)
      .findOne({ _id: 'm-2-f' as never });
    expect(membership).toMatchObject({ is_current: false, added_at: '2026-01-01T00:00:00.000Z' });
    const definition = await db
      .collection<{ _id: number; current_member_count: number }>(LIVE_COLLECTIONS.definitions)
      .findOne({ _id: 2 });
    expect(definition?.current_member_count).toBe(0);
    await expectLiveToMatchHistory();
  });

  it('finishes a rebuild that was stopped midway before starting its own', async () => {
    await happen(groupDefinitionStream(3), 0, [groupCreated(3, 'stopped')]);
    await happen(membershipStream(3, 'g'), 0, [memberAddedEvent(3, 'g', 'm-3-g')]);
    const stop = new Error('killed');
    await expect(
      replaceReadModels(store, db, {
        heartbeatMs: 20,
        onProgress: (progress) => {
          if (progress.phase === 'switch' && progress.readModel === 'definitions') throw stop;
        },
      }),
    ).rejects.toBe(stop);
    const stopped = await currentRebuild(db);
    expect(stopped).toMatchObject({ phase: 'switch' });
    // As if killed between the two renames of the memberships' switch, with a live
    // write landing meanwhile.
    await db.renameCollection(
      LIVE_COLLECTIONS.memberships,
      `${LIVE_COLLECTIONS.memberships}__replaced_${stopped!.stamp}`,
    );
    await happen(membershipStream(3, 'h'), 0, [memberAddedEvent(3, 'h', 'm-3-h')]);

    // While its record is fresh it counts as running.
    await expect(replaceReadModels(store, db, { heartbeatMs: 60_000 })).rejects.toBeInstanceOf(
      RebuildInProgressError,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const phases: string[] = [];
    await replaceReadModels(store, db, {
      heartbeatMs: 20,
      onProgress: (progress) => {
        phases.push(progress.phase);
      },
    });

    expect(phases[0]).toBe('resume');
    expect(await currentRebuild(db)).toBeNull();
    expect(await leftAside()).toEqual([]);
    const members = await db
      .collection(LIVE_COLLECTIONS.memberships)
      .find({ group_definition_id: 3 })
      .toArray();
    expect(members.map((m) => m.profile_id as string).sort()).toEqual(['g', 'h']);
    await expectLiveToMatchHistory();
  });

  it('stops a paused rebuild that was taken over before it switches anything', async () => {
    await happen(groupDefinitionStream(4), 0, [groupCreated(4, 'paused')]);
    await happen(membershipStream(4, 'i'), 0, [memberAddedEvent(4, 'i', 'm-4-i')]);
    const before = await db.collection(LIVE_COLLECTIONS.definitions).countDocuments({});
    const runs = db.collection<RebuildRun>(REBUILD_RUNS_COLLECTION);
    let tookOver = false;

    await expect(
      replaceReadModels(store, db, {
        onProgress: async (progress) => {
          if (progress.phase !== 'rebuild' || tookOver) return;
          tookOver = true;
          // As a second rebuild would after this one was stopped past its heartbeat.
          await runs.updateOne({ _id: 'current' }, { $set: { owner: 'another rebuild' } });
        },
      }),
    ).rejects.toBeInstanceOf(RebuildTakenOverError);

    expect(tookOver).toBe(true);
    expect(await currentRebuild(db)).toMatchObject({ owner: 'another rebuild' });
    expect(await db.collection(LIVE_COLLECTIONS.definitions).countDocuments({})).toBe(before);
    expect(await leftAside()).toEqual([]);
    await expectLiveToMatchHistory();
    await runs.deleteMany({});
  });
});
