import { randomUUID } from 'node:crypto';

import {
  type ConnectionRemoved,
  type ConnectionStatus,
  type ConnectionUpserted,
  connectionStream,
  type EnvelopeOf,
  type EventEnvelope,
  type GroupDefinitionAttributes,
  type GroupDefinitionEvent,
  groupDefinitionStream,
  type MemberRemoved,
  type MembershipEvent,
  membershipStream,
} from '@profile-groups/contracts';
import {
  decideGroupDefinition,
  decideMembership,
  evolveGroupDefinition,
  evolveMembership,
  type GroupDefinitionCommand,
  type GroupDefinitionState,
  type MembershipCommand,
  NO_MEMBERSHIP,
} from '@profile-groups/domain';
import { ConnectionStore, ProfileStore } from '@profile-groups/evaluation';
import { EventStore } from '@profile-groups/event-store';
import { PermanentFailure } from '@profile-groups/messaging';
import { connectTestDb, groupAttributes, silentLogger } from '@profile-groups/testing';
import { type Db, type MongoClient } from 'mongodb';

import { PairIndex } from '../dynamic/pair-index';
import { ConnectionMembershipWriter } from './connection-membership-writer';
import { FavouriteGroups } from './favourite-groups';
import { InstanceCatalog } from './instance-catalog';

const OWNER = 'stylist-9';
const TYPE = 'stylist-client';
const metadata = { correlation_id: 'c', causation_id: null, actor: 'test' };
const NOW = new Date('2026-12-01T12:00:00.000Z');

/** Favourite groups as the worker wires them, on the real server; tests hand it the events. */
describe('FavouriteGroups', () => {
  let client: MongoClient;
  let db: Db;
  let store: EventStore;
  let connections: ConnectionStore;
  let profiles: ProfileStore;
  let favourites: FavouriteGroups;
  let pairs: PairIndex;
  /** The writer's clock; a test moves it past an expiry. */
  let now = NOW;
  let offset = 0;
  let nextId = 100;

  beforeAll(async () => {
    ({ client, db } = await connectTestDb('favourite-groups'));
    store = new EventStore(db);
    await store.ensureIndexes();
  });

  beforeEach(async () => {
    now = NOW;
    connections = new ConnectionStore(db);
    await connections.open();
    profiles = new ProfileStore(db);
    await profiles.open();
    pairs = new PairIndex(store);
    favourites = new FavouriteGroups({
      store,
      catalog: new InstanceCatalog(store),
      connections,
      profiles,
      pairs,
      writer: new ConnectionMembershipWriter(store, pairs, () => now),
      logger: silentLogger,
    });
    await favourites.start();
  });

  afterEach(async () => {
    await favourites.settle();
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  async function decideGroup(id: number, command: GroupDefinitionCommand) {
    const read = await store.readStream(groupDefinitionStream(id));
    const state = (
      read.events as unknown as GroupDefinitionEvent[]
    ).reduce<GroupDefinitionState | null>(evolveGroupDefinition, null);
    const appended = await store.append(
      groupDefinitionStream(id),
      read.version,
      decideGroupDefinition(state, command),
      metadata,
    );
    for (const event of appended) {
      await favourites.onDefinitionEvent(event as EnvelopeOf<GroupDefinitionEvent>);
    }

    return appended;
  }

  async function groupState(id: number): Promise<GroupDefinitionState | null> {
    const read = await store.readStream(groupDefinitionStream(id));

    return (read.events as unknown as GroupDefinitionEvent[]).reduce<GroupDefinitionState | null>(
      evolveGroupDefinition,
      null,
    );
  }

  /** A favourite definition and the owner's instance of it; resolves with the instance id. */
  async function activate(
    owner = OWNER,
    attributes: Partial<GroupDefinitionAttributes> = {},
  ): Promise<number> {
    return (await activateWithDefinition(owner, attributes)).instanceId;
  }

  async function activateWithDefinition(
    owner = OWNER,
    attributes: Partial<GroupDefinitionAttributes> = {},
  ): Promise<{ definitionId: number; instanceId: number }> {
    const definitionId = nextId++;
    await decideGroup(definitionId, {
      kind: 'CreateGroupDefinition',
      id: definitionId,
      attributes: groupAttributes({
        name: 'My clients',
        handle: `clients-${definitionId}`,
        type: 'favourite',
        source_type: TYPE,
        ...attributes,
      }),
      flags: { is_published: true, is_active: true, is_archived: false },
      now: NOW,
    });
    const instanceId = nextId++;
    await decideGroup(instanceId, {
      kind: 'ActivateFavouriteGroup',
      id: instanceId,
      favourite: await groupState(definitionId),
      ownerProfileId: owner,
      now: NOW,
    });

    return { definitionId, instanceId };
  }

  function connectionEvent(
    owner: string,
    connected: string,
    status: ConnectionStatus | 'removed',
    type = TYPE,
  ): EnvelopeOf<ConnectionUpserted> | EnvelopeOf<ConnectionRemoved> {
    const common = {
      id: randomUUID(),
      schema_version: 1,
      stream: connectionStream(owner),
      stream_version: 1,
      time: NOW.toISOString(),
      correlation_id: randomUUID(),
      causation_id: null,
      actor: 'platform',
    };

    return status === 'removed'
      ? {
          ...common,
          type: 'ConnectionRemoved',
          data: {
            profile_id: owner,
            connected_profile_id: connected,
            removed_at: NOW.toISOString(),
          },
        }
      : {
          ...common,
          type: 'ConnectionUpserted',
          data: {
            profile_id: owner,
            connected_profile_id: connected,
            type,
            status,
            upserted_at: NOW.toISOString(),
          },
        };
  }

  /** Delivers a connection change at the next offset; resolves with that position. */
  async function deliver(
    owner: string,
    connected: string,
    status: ConnectionStatus | 'removed',
    type = TYPE,
  ) {
    const event = connectionEvent(owner, connected, status, type);
    const position = { partition: 0, offset: BigInt(++offset) };
    await favourites.onConnectionEvent(event, position);

    return { event, position };
  }

  async function pairEvents(groupId: number, profileId: string): Promise<EventEnvelope[]> {
    return (await store.readStream(membershipStream(groupId, profileId))).events;
  }

  async function isMember(groupId: number, profileId: string): Promise<boolean> {
    const events = (await pairEvents(groupId, profileId)) as unknown as MembershipEvent[];

    return events.reduce(evolveMembership, NO_MEMBERSHIP).current !== null;
  }

  /**
   * A manual add or removal through the owner's endpoint, as the command API stores it
   * (or a system decision, as the worker's lifecycle does); resolves with what it stored.
   */
  async function byHand(groupId: number, command: MembershipCommand): Promise<EventEnvelope[]> {
    const stream = membershipStream(groupId, command.profileId);
    const read = await store.readStream(stream);
    const state = (read.events as unknown as MembershipEvent[]).reduce(
      evolveMembership,
      NO_MEMBERSHIP,
    );
    const events = decideMembership(await groupState(groupId), state, command);
    const appended = await store.append(stream, read.version, events, metadata);
    // As the worker's membership consumer does when they come back on the topic.
    for (const event of appended) {
      pairs.observe(event as unknown as { stream_version: number } & MembershipEvent);
    }

    return appended;
  }

  function manualAdd(profileId: string, at = NOW): MembershipCommand {
    return {
      kind: 'AddMember',
      profileId,
      membershipId: randomUUID(),
      addedByProfileId: OWNER,
      sourceType: null,
      sourceId: null,
      meta: null,
      ownerProfileId: OWNER,
      now: at,
    };
  }

  /** The timer's expiry of the pair's membership, handed to the worker as the topic would. */
  async function expire(groupId: number, profileId: string, at: Date): Promise<void> {
    const [first] = (await pairEvents(groupId, profileId)).slice(-1) as unknown as [
      { data: { membership_id: string } },
    ];
    const removed = await byHand(groupId, {
      kind: 'ExpireMember',
      profileId,
      membershipId: first.data.membership_id,
      now: at,
    });
    expect(removed).toHaveLength(1);
    now = at;
    await favourites.onMembershipRemoved(removed[0] as EnvelopeOf<MemberRemoved>);
  }

  /** Deactivates and activates the instance again: a full sync with the connections. */
  async function resync(groupId: number): Promise<void> {
    for (const is_active of [false, true]) {
      await decideGroup(groupId, {
        kind: 'UpdateGroupDefinition',
        changes: {},
        flags: { is_active },
        now: NOW,
      });
    }
  }

  it('on activation, admits the owner`s accepted connections of its type, and only those', async () => {
    const owner = 'owner-sync';
    await deliver(owner, 'c-accepted', 'accepted');
    await deliver(owner, 'c-pending', 'pending');
    await deliver(owner, 'c-household', 'accepted', 'household');
    await deliver(owner, 'c-gone', 'accepted');
    await deliver(owner, 'c-gone', 'removed');

    const instance = await activate(owner);

    expect(await pairEvents(instance, 'c-accepted')).toMatchObject([
      {
        type: 'MemberAdded',
        causation_id: expect.any(String),
        actor: 'system:connections',
        data: {
          group_definition_id: instance,
          profile_id: 'c-accepted',
          source_type: 'connection',
          source_id: TYPE,
          added_by_profile_id: null,
          expires_at: null,
          owner_profile_id: owner,
        },
      },
    ]);
    for (const other of ['c-pending', 'c-household', 'c-gone']) {
      expect(await pairEvents(instance, other)).toEqual([]);
    }
  });

  it('adds a member when its connection is accepted and ends it when the connection breaks', async () => {
    const instance = await activate();

    await deliver(OWNER, 'c-1', 'pending');
    expect(await isMember(instance, 'c-1')).toBe(false);
    await deliver(OWNER, 'c-1', 'accepted');
    expect(await isMember(instance, 'c-1')).toBe(true);
    await deliver(OWNER, 'c-1', 'blocked');
    await deliver(OWNER, 'c-2', 'accepted');
    await deliver(OWNER, 'c-2', 'removed');
    await deliver(OWNER, 'c-3', 'accepted');
    await deliver(OWNER, 'c-3', 'accepted', 'household');

    for (const profile of ['c-1', 'c-2', 'c-3']) {
      const events = await pairEvents(instance, profile);
      expect(events.map((e) => e.type)).toEqual(['MemberAdded', 'MemberRemoved']);
      expect(events[1]).toMatchObject({
        data: {
          reason: 'connection',
          removed_reason: null,
          removed_by_profile_id: null,
          owner_profile_id: OWNER,
        },
      });
    }
  });

  it('keeps a manually removed member out across a re-accept, and a manual addition in', async () => {
    const instance = await activate();
    await deliver(OWNER, 'c-out', 'accepted');
    await byHand(instance, {
      kind: 'RemoveMember',
      profileId: 'c-out',
      reason: 'manual',
      removedReason: 'Asked to leave',
      removedByProfileId: OWNER,
      ownerProfileId: OWNER,
      now: NOW,
    });
    await byHand(instance, {
      kind: 'AddMember',
      profileId: 'c-in',
      membershipId: randomUUID(),
      addedByProfileId: OWNER,
      sourceType: null,
      sourceId: null,
      meta: null,
      ownerProfileId: OWNER,
      now: NOW,
    });

    await deliver(OWNER, 'c-out', 'declined');
    await deliver(OWNER, 'c-out', 'accepted');
    await deliver(OWNER, 'c-in', 'accepted');
    await deliver(OWNER, 'c-in', 'removed');

    expect((await pairEvents(instance, 'c-out')).map((e) => e.type)).toEqual([
      'MemberAdded',
      'MemberRemoved',
    ]);
    expect(await isMember(instance, 'c-out')).toBe(false);
    expect(await pairEvents(instance, 'c-in')).toMatchObject([
      { type: 'MemberAdded', data: { source_type: null, owner_profile_id: OWNER } },
    ]);
  });

  it('decides a redelivered change again without a second event', async () => {
    const instance = await activate();
    const { event, position } = await deliver(OWNER, 'c-again', 'accepted');
    const before = await pairEvents(instance, 'c-again');

    await favourites.onConnectionEvent(event, position);
    // A worker that stored the change and died before deciding it: the next one decides.
    const restarted = await restartedWorker();
    await restarted.onConnectionEvent(event, position);

    expect(before).toHaveLength(1);
    expect(await pairEvents(instance, 'c-again')).toEqual(before);
  });

  it('decides a change the last worker stored but did not decide, when redelivered', async () => {
    const instance = await activate();
    const event = connectionEvent(OWNER, 'c-late', 'accepted');
    const position = { partition: 0, offset: BigInt(++offset) };
    // Stored, then "crashed" before deciding: the store has it, the group does not.
    await connections.apply(
      OWNER,
      'c-late',
      { kind: 'upsert', type: TYPE, status: 'accepted', at: NOW.toISOString() },
      position,
    );

    const restarted = await restartedWorker();
    await restarted.onConnectionEvent(event, position);

    expect((await pairEvents(instance, 'c-late')).map((e) => e.type)).toEqual(['MemberAdded']);
  });

  it('leaves a deactivated instance alone and brings it in line when activated again', async () => {
    const instance = await activate();
    await deliver(OWNER, 'c-stays', 'accepted');
    await decideGroup(instance, {
      kind: 'UpdateGroupDefinition',
      changes: {},
      flags: { is_active: false },
      now: NOW,
    });

    await deliver(OWNER, 'c-stays', 'removed');
    await deliver(OWNER, 'c-new', 'accepted');
    expect(await isMember(instance, 'c-stays')).toBe(true);
    expect(await isMember(instance, 'c-new')).toBe(false);

    await decideGroup(instance, {
      kind: 'UpdateGroupDefinition',
      changes: {},
      flags: { is_active: true },
      now: NOW,
    });
    expect(await pairEvents(instance, 'c-stays')).toMatchObject([
      { type: 'MemberAdded' },
      { type: 'MemberRemoved', data: { reason: 'connection' } },
    ]);
    expect(await isMember(instance, 'c-new')).toBe(true);
  });

  it('follows only its owner`s connections, and forgets a deleted instance', async () => {
    const instance = await activate();
    await deliver('someone-else', 'c-x', 'accepted');
    expect(await pairEvents(instance, 'c-x')).toEqual([]);

    await decideGroup(instance, { kind: 'DeleteGroupDefinition', now: NOW });
    await deliver(OWNER, 'c-after', 'accepted');
    expect(await pairEvents(instance, 'c-after')).toEqual([]);
  });

  it('sends a self-connection or an unusable id to the dead-letter topic, storing nothing', async () => {
    const self = connectionEvent(OWNER, OWNER, 'accepted');
    const position = { partition: 0, offset: BigInt(++offset) };

    await expect(favourites.onConnectionEvent(self, position)).rejects.toBeInstanceOf(
      PermanentFailure,
    );
    expect(await connections.find(OWNER, OWNER)).toBeNull();
  });

  describe('period and absolute_expiry', () => {
    const timed = { period: 3, period_type: 'days' as const };
    const due = new Date('2026-12-05T00:00:00.000Z');

    it('re-admits at once, by its connection, a manual addition that expires while the connection counts', async () => {
      const instance = await activate(OWNER, timed);
      await deliver(OWNER, 'c-both', 'accepted');
      await byHand(instance, {
        kind: 'RemoveMember',
        profileId: 'c-both',
        reason: 'manual',
        removedReason: null,
        removedByProfileId: OWNER,
        ownerProfileId: OWNER,
        now: NOW,
      });
      await byHand(instance, manualAdd('c-both'));

      await expire(instance, 'c-both', due);

      expect((await pairEvents(instance, 'c-both')).slice(2)).toMatchObject([
        {
          type: 'MemberAdded',
          data: { source_type: null, expires_at: '2026-12-04T12:00:00.000Z' },
        },
        { type: 'MemberRemoved', data: { reason: 'expired' } },
        {
          type: 'MemberAdded',
          actor: 'system:connections',
          data: { source_type: 'connection', expires_at: null, added_at: due.toISOString() },
        },
      ]);
    });

    it('lets an expired manual addition go when no accepted connection justifies it, across syncs', async () => {
      const instance = await activate(OWNER, timed);
      await deliver(OWNER, 'c-pending', 'pending');
      await byHand(instance, manualAdd('c-pending'));
      await byHand(instance, manualAdd('c-alone'));

      await expire(instance, 'c-pending', due);
      await expire(instance, 'c-alone', due);
      await resync(instance);
      await deliver(OWNER, 'c-pending', 'declined');

      for (const profile of ['c-pending', 'c-alone']) {
        expect((await pairEvents(instance, profile)).map((e) => e.type)).toEqual([
          'MemberAdded',
          'MemberRemoved',
        ]);
      }
    });

    it('caps a connection-made membership at absolute_expiry and admits no one after it', async () => {
      const cap = '2026-12-02T00:00:00.000Z';
      const instance = await activate(OWNER, { ...timed, absolute_expiry: cap });

      await deliver(OWNER, 'c-early', 'accepted');
      expect(await pairEvents(instance, 'c-early')).toMatchObject([
        { type: 'MemberAdded', data: { source_type: 'connection', expires_at: cap } },
      ]);

      await expire(instance, 'c-early', new Date(cap));
      await deliver(OWNER, 'c-after-cap', 'accepted');
      await resync(instance);
      expect((await pairEvents(instance, 'c-early')).map((e) => e.type)).toEqual([
        'MemberAdded',
        'MemberRemoved',
      ]);
      expect(await pairEvents(instance, 'c-after-cap')).toEqual([]);
    });
  });

  it('deletes the instances of a deleted favourite definition, which frees them to end', async () => {
    const { definitionId, instanceId } = await activateWithDefinition(OWNER);
    const other = await activate(OWNER);

    await decideGroup(definitionId, { kind: 'DeleteGroupDefinition', now: NOW });

    expect((await store.readStream(groupDefinitionStream(instanceId))).events).toMatchObject([
      { type: 'FavouriteGroupActivated' },
      {
        type: 'GroupDefinitionDeleted',
        actor: 'system:group-deleted',
        data: { group_definition_id: instanceId, handle: `clients-${definitionId}@${OWNER}` },
      },
    ]);
    expect((await groupState(other))?.deleted).toBe(false);
    await deliver(OWNER, 'c-after-delete', 'accepted');
    expect(await pairEvents(instanceId, 'c-after-delete')).toEqual([]);
  });

  it('keeps a deleted profile out of instances across connection changes and syncs until it is upserted again', async () => {
    const instance = await activate();
    await deliver(OWNER, 'c-deleted', 'accepted');
    let position = { partition: 0, offset: BigInt(++offset) };
    await profiles.apply('c-deleted', { kind: 'delete', at: NOW.toISOString() }, position);
    await byHand(instance, {
      kind: 'EndMembershipOfDeletedProfile',
      profileId: 'c-deleted',
      now: NOW,
    });

    await resync(instance);
    await deliver(OWNER, 'c-deleted', 'accepted');
    expect((await pairEvents(instance, 'c-deleted')).map((e) => e.type)).toEqual([
      'MemberAdded',
      'MemberRemoved',
    ]);

    position = { partition: 0, offset: BigInt(++offset) };
    await profiles.apply(
      'c-deleted',
      { kind: 'upsert', attributes: {}, at: NOW.toISOString() },
      position,
    );
    await deliver(OWNER, 'c-deleted', 'accepted');
    expect(await isMember(instance, 'c-deleted')).toBe(true);
  });

  async function restartedWorker(): Promise<FavouriteGroups> {
    const reopened = new ConnectionStore(db);
    await reopened.open();
    const pairs = new PairIndex(store);
    const worker = new FavouriteGroups({
      store,
      catalog: new InstanceCatalog(store),
      connections: reopened,
      profiles,
      pairs,
      writer: new ConnectionMembershipWriter(store, pairs, () => NOW),
      logger: silentLogger,
    });
    await worker.start();

    return worker;
  }
});
