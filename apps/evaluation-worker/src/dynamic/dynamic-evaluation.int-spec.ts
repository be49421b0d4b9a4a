import {
  type EnvelopeOf,
  type EvaluationEvent,
  type GroupDefinitionEvent,
  groupDefinitionStream,
  groupEvaluationStream,
  type JsonObject,
  type MembershipEvent,
  membershipStream,
  type ProfileDeleted,
  type ProfileUpserted,
} from '@profile-groups/contracts';
import {
  decideGroupDefinition,
  evolveGroupDefinition,
  type GroupDefinitionCommand,
  type GroupDefinitionState,
} from '@profile-groups/domain';
import { ProfileStore, SnapshotArchive } from '@profile-groups/evaluation';
import { EventStore } from '@profile-groups/event-store';
import { connectTestDb, groupAttributes, silentLogger } from '@profile-groups/testing';
import { type Db, type MongoClient } from 'mongodb';

import { EvaluationLog } from './evaluation-log';
import { GroupCatalog } from './group-catalog';
import { GroupRefresher } from './group-refresher';
import { PairIndex } from './pair-index';
import { ProfileChangeLog } from './profile-change-log';
import { ProfileIntake } from './profile-intake';
import { RuleMembershipWriter } from './rule-membership-writer';
import { TimeRechecks } from './time-rechecks';

const metadata = { correlation_id: 'c', causation_id: null, actor: 'test' };
const NOW = new Date('2026-12-01T12:00:00.000Z');
const DAY = 86_400_000;

describe('dynamic group evaluation on a real MongoDB wire server', () => {
  let client: MongoClient;
  let db: Db;
  let store: EventStore;
  let profiles: ProfileStore;
  let archive: SnapshotArchive;
  let refresher: GroupRefresher;
  let intake: ProfileIntake;
  let changes: ProfileChangeLog;
  let rechecks: TimeRechecks;
  let catalog: GroupCatalog;
  let writer: RuleMembershipWriter;
  let log: EvaluationLog;
  let pairs: PairIndex;
  let offset = 0n;

  beforeAll(async () => {
    ({ client, db } = await connectTestDb('dynamic'));
    store = new EventStore(db);
    profiles = new ProfileStore(db);
    await profiles.open();
    archive = new SnapshotArchive(db);
    catalog = new GroupCatalog(store, silentLogger);
    pairs = new PairIndex(store);
    writer = new RuleMembershipWriter(store, pairs, () => NOW);
    log = new EvaluationLog(store);
    changes = new ProfileChangeLog();
    rechecks = new TimeRechecks();
    const shared = {
      catalog,
      archive,
      writer,
      log,
      changes,
      rechecks,
      profiles,
      logger: silentLogger,
    };
    refresher = new GroupRefresher({ ...shared, pairs, clock: () => NOW, batchSize: 7 });
    intake = new ProfileIntake({ ...shared, store, pairs, clock: () => NOW });
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  async function decide(groupId: number, command: GroupDefinitionCommand): Promise<void> {
    const read = await store.readStream(groupDefinitionStream(groupId));
    const state = (
      read.events as unknown as GroupDefinitionEvent[]
    ).reduce<GroupDefinitionState | null>(evolveGroupDefinition, null);
    await store.append(
      groupDefinitionStream(groupId),
      read.version,
      decideGroupDefinition(state, command),
      metadata,
    );
  }

  async function dynamicGroup(
    groupId: number,
    rules: { type: 'inclusion' | 'exclusion'; rule: JsonObject }[],
  ) {
    await decide(groupId, {
      kind: 'CreateGroupDefinition',
      id: groupId,
      attributes: groupAttributes({ name: `g${groupId}`, handle: `g${groupId}`, type: 'dynamic' }),
      flags: { is_published: false, is_active: true, is_archived: false },
      now: NOW,
    });
    for (const [i, rule] of rules.entries()) {
      await decide(groupId, {
        kind: 'AddGroupRule',
        ruleId: groupId * 100 + i,
        attributes: {
          group_rule_definition_id: null,
          rule: rule.rule,
          type: rule.type,
          name: null,
          arguments: [],
          sort_order: i,
          is_active: true,
          meta: null,
        },
        template: null,
        now: NOW,
      });
    }
  }

  function upserted(profileId: string, attributes: JsonObject): EnvelopeOf<ProfileUpserted> {
    return {
      id: `e-${profileId}-${JSON.stringify(attributes)}`,
      type: 'ProfileUpserted',
      correlation_id: 'c',
      data: { profile_id: profileId, attributes, upserted_at: NOW.toISOString() },
    } as unknown as EnvelopeOf<ProfileUpserted>;
  }

  /** One change as the consumer hands it over: stored, then evaluated at the batch's end. */
  async function upsert(profileId: string, attributes: JsonObject): Promise<void> {
    offset += 1n;
    await intake.upserted(upserted(profileId, attributes), { partition: 0, offset });
    await intake.flush();
  }

  async function membersOf(groupId: number): Promise<string[]> {
    const pairs = await store.readStreams('group-member', { group_definition_id: groupId });
    const current: string[] = [];
    for (const read of pairs.values()) {
      const events = read.events as unknown as MembershipEvent[];
      if (events.at(-1)?.type === 'MemberAdded') current.push(events[0]!.data.profile_id);
    }

    return current.sort();
  }

  async function evaluationEvents(groupId: number): Promise<EvaluationEvent[]> {
    return (await store.readStream(groupEvaluationStream(groupId)))
      .events as unknown as EvaluationEvent[];
  }

  it('refreshes to the profiles the rules select, emits only differences, and records the run', async () => {
    for (let i = 0; i < 30; i++) {
      await upsert(`p${String(i).padStart(2, '0')}`, {
        tier: i % 3 === 0 ? 'gold' : 'silver',
        tags: i % 5 === 0 ? ['b2b'] : [],
        total_spend: i % 2 === 0 ? String(i * 10) : i * 10,
      });
    }
    await dynamicGroup(1, [
      { type: 'inclusion', rule: { in: [{ var: 'tier' }, ['gold', 'platinum']] } },
      { type: 'inclusion', rule: { '>=': [{ var: 'total_spend' }, 250] } },
      { type: 'exclusion', rule: { in: ['b2b', { var: 'tags' }] } },
    ]);

    const first = await refresher.refresh(1, 'rule_change', metadata);
    const expected = Array.from({ length: 30 }, (_, i) => i)
      .filter((i) => (i % 3 === 0 || i * 10 >= 250) && i % 5 !== 0)
      .map((i) => `p${String(i).padStart(2, '0')}`);
    expect(await membersOf(1)).toEqual(expected);
    expect(first).toMatchObject({
      trigger: 'rule_change',
      counts: { evaluated: 30, included: expected.length, added: expected.length, removed: 0 },
      rule_versions: [
        { rule_id: 100, rule_version: 1 },
        { rule_id: 101, rule_version: 1 },
        { rule_id: 102, rule_version: 1 },
      ],
    });
    const results = await archive.results(first!.snapshot_id);
    expect(results).toHaveLength(30);
    expect(results.find((r) => r.profile_id === 'p05')).toMatchObject({
      included: false,
      matched_rule_ids: [102],
      changed: false,
    });

    // Same data and rules: the same members, nothing emitted, the same fingerprint.
    const second = await refresher.refresh(1, 'manual', metadata);
    expect(second).toMatchObject({ counts: { evaluated: 30, added: 0, removed: 0 } });
    expect(second!.profile_versions_digest).toBe(first!.profile_versions_digest);
    expect((await evaluationEvents(1)).map((e) => e.type)).toEqual([
      'RefreshStarted',
      'SnapshotTaken',
      'RefreshStarted',
      'SnapshotTaken',
    ]);
  });

  it('moves one profile in and out as it changes, with a snapshot per move', async () => {
    await upsert('p01', { tier: 'gold', tags: [], total_spend: 10 });
    expect(await membersOf(1)).toContain('p01');
    await upsert('p01', { tier: 'gold', tags: ['b2b'], total_spend: 10 });
    expect(await membersOf(1)).not.toContain('p01');
    // A redelivery of an applied change is not stored again.
    await intake.upserted(upserted('p01', { tier: 'gold', tags: [] }), {
      partition: 0,
      offset: offset - 1n,
    });
    await intake.flush();
    expect(await membersOf(1)).not.toContain('p01');

    const snapshots = (await evaluationEvents(1)).filter((e) => e.type === 'SnapshotTaken');
    expect(
      snapshots.slice(-2).map((e) => [e.data.trigger, (e.data as { counts: unknown }).counts]),
    ).toEqual([
      ['profile_change', { evaluated: 1, included: 1, added: 1, removed: 0 }],
      ['profile_change', { evaluated: 1, included: 0, added: 0, removed: 1 }],
    ]);
    const pair = await store.readStream(membershipStream(1, 'p01'));
    expect(pair.events.map((e) => e.type)).toEqual(['MemberAdded', 'MemberRemoved']);
  });

  it('admits a profile again when it is deleted and at once created again', async () => {
    await upsert('p09', { tier: 'gold', tags: [], total_spend: 0 });
    expect(await membersOf(1)).toContain('p09');
    offset += 1n;
    const deletion = {
      id: 'e-p09-deleted',
      type: 'ProfileDeleted',
      correlation_id: 'c',
      data: { profile_id: 'p09', deleted_at: NOW.toISOString() },
    } as unknown as EnvelopeOf<ProfileDeleted>;
    await intake.deleted(deletion, { partition: 0, offset });
    // The removal reaches Kafka later; the next evaluation must not wait for it.
    await upsert('p09', { tier: 'gold', tags: [], total_spend: 0 });

    expect(await membersOf(1)).toContain('p09');
    const pair = await store.readStream(membershipStream(1, 'p09'));
    expect(pair.events.map((e) => [e.type, (e.data as { reason?: string }).reason])).toEqual([
      ['MemberAdded', undefined],
      ['MemberRemoved', 'profile_deleted'],
      ['MemberAdded', undefined],
    ]);
  });

  it('refuses Kafka input that REST would refuse, as a permanent failure, storing nothing', async () => {
    const before = await profiles.count();
    for (const [id, attributes] of [
      ['bad\u0000id', { tier: 'gold' }],
      ['lone\uD800', { tier: 'gold' }],
      ['p-proto', JSON.parse('{"tier": "gold", "nested": {"__proto__": {"x": 1}}}') as JsonObject],
    ] as const) {
      offset += 1n;
      await expect(
        intake.upserted(upserted(id, attributes), { partition: 0, offset }),
      ).rejects.toMatchObject({ name: 'PermanentFailure', code: 'profile.invalid_input' });
    }
    expect(await profiles.count()).toBe(before);
  });

  it('leaves a profile that changed during a refresh to its incremental evaluation', async () => {
    await dynamicGroup(2, [{ type: 'inclusion', rule: { '==': [{ var: 'tier' }, 'gold'] } }]);
    // p03 turned silver "during" the run: the change log says so, so the run must not
    // act on the gold version it read.
    changes.note('p03', profiles.versionOf('p03') + 1, NOW.getTime());
    await refresher.refresh(2, 'rule_change', metadata);
    expect(await membersOf(2)).not.toContain('p03');
    expect(await membersOf(2)).toContain('p06');
  });

  it('stops a refresh when its group is deactivated during the run, and says so', async () => {
    await dynamicGroup(5, [{ type: 'inclusion', rule: { '==': [{ var: 'tier' }, 'silver'] } }]);
    // The operator deactivates the group after the run's first batch.
    let batches = 0;
    const scanning: ProfileStore = Object.create(profiles) as ProfileStore;
    scanning.scan = async function* (size: number) {
      for await (const batch of profiles.scan(size)) {
        if (batches++ === 1) {
          await decide(5, {
            kind: 'UpdateGroupDefinition',
            changes: {},
            flags: { is_active: false },
            now: NOW,
          });
          await catalog.reload(5);
        }
        yield batch;
      }
    };
    const cancelling = new GroupRefresher({
      catalog,
      archive,
      writer,
      log,
      changes,
      rechecks,
      pairs,
      profiles: scanning,
      logger: silentLogger,
      clock: () => NOW,
      batchSize: 7,
    });

    expect(await cancelling.refresh(5, 'manual', metadata)).toBeNull();
    const [, failed] = await evaluationEvents(5);
    expect(failed).toMatchObject({
      type: 'RefreshFailed',
      data: { trigger: 'manual', error: expect.stringContaining('Cancelled') as string },
    });
    // Only the first batch's members were written before it stopped.
    expect((await membersOf(5)).length).toBeLessThan(10);
  });

  it('schedules a recheck at the instant a time-dependent rule flips', async () => {
    const joined = new Date(NOW.getTime() - 29.5 * DAY).toISOString();
    await upsert('t1', { joined_at: joined });
    // Guarded: json-logic-js lets null (no joined_at) pass `<`, as it is 0 there.
    await dynamicGroup(3, [
      {
        type: 'inclusion',
        rule: {
          and: [{ var: 'joined_at' }, { '<': [{ days_since: { var: 'joined_at' } }, 30] }],
        },
      },
    ]);
    await refresher.refresh(3, 'rule_change', metadata);
    expect(await membersOf(3)).toEqual(['t1']);
    expect(rechecks.earliest()).toBe(Date.parse(joined) + 30 * DAY);
  });

  it('evaluates a batch of changes together: one round of writes, one snapshot per group', async () => {
    const before = (await evaluationEvents(1)).length;
    for (const id of ['p10', 'p11', 'p13']) {
      offset += 1n;
      await intake.upserted(upserted(id, { tier: 'platinum', tags: [] }), { partition: 0, offset });
    }
    expect(await membersOf(1)).not.toContain('p11');
    await intake.flush();
    expect(await membersOf(1)).toEqual(expect.arrayContaining(['p10', 'p11', 'p13']));
    const added = (await evaluationEvents(1)).slice(before);
    expect(added.map((e) => [e.type, (e.data as { counts?: unknown }).counts])).toEqual([
      ['SnapshotTaken', { evaluated: 3, included: 3, added: 3, removed: 0 }],
    ]);
  });

  it('evaluates a change again when it is redelivered after a crash before its evaluation', async () => {
    offset += 1n;
    const change = upserted('p12', { tier: 'gold', tags: [] });
    await intake.upserted(change, { partition: 0, offset });
    // The process dies here: stored, never evaluated, offset not committed.
    const restarted = new ProfileIntake({
      store,
      pairs,
      profiles,
      catalog,
      writer,
      archive,
      log,
      changes,
      rechecks,
      logger: silentLogger,
      clock: () => NOW,
    });
    await restarted.upserted(change, { partition: 0, offset });
    await restarted.flush();
    expect(await membersOf(1)).toContain('p12');
  });
});
