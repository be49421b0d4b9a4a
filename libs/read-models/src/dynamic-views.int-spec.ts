import {
  type EventEnvelope,
  type EventMetadata,
  groupDefinitionStream,
  groupEvaluationStream,
  type JsonObject,
  type JsonValue,
  membershipStream,
  type NewEvent,
  profileStream,
  ruleDefinitionStream,
} from '@profile-groups/contracts';
import { EventStore } from '@profile-groups/event-store';
import { connectTestDb, groupAttributes } from '@profile-groups/testing';
import { type Db, type MongoClient } from 'mongodb';

import { ReadModelQueries } from './read-model-queries';
import { ReadModelWriter } from './read-model-writer';
import { diffReadModels, rebuildReadModels } from './rebuild';
import { collectionsWithSuffix } from './views';

const metadata: EventMetadata = { correlation_id: 'corr', causation_id: null, actor: 'test' };
const time = '2026-07-01T10:00:00.000Z';

/** JSONLogic that FerretDB could not store as a document: arrays in arrays, `$` keys. */
const nestedRule: JsonValue = {
  and: [
    { in: [{ var: 'tier' }, ['gold', ['platinum', 'diamond']]] },
    { '==': [{ var: 'flags' }, [[1, 2], [3]]] },
  ],
};
const awkwardMeta: JsonObject = { $owner: 'crm', 'a.b': [[true]] };

const ruleDefinitionCreated: NewEvent = {
  type: 'RuleDefinitionCreated',
  data: {
    rule_definition_id: 1,
    definition: {
      handle: 'tier-in',
      name: 'Tier in',
      description: null,
      evaluator: 'jsonlogic',
      rule: { in: [{ var: 'tier' }, { arg: 'tiers' }] },
      arguments: [{ name: 'tiers', type: 'array', required: false, default: [['gold']] }],
      meta: awkwardMeta,
    },
    created_at: time,
  },
};

function groupCreated(id: number): NewEvent {
  return {
    type: 'GroupDefinitionCreated',
    data: {
      group_definition_id: id,
      definition: groupAttributes({
        name: `Dynamic ${id}`,
        handle: `dynamic-${id}`,
        type: 'dynamic',
        query: nestedRule,
        query_type: 'jsonlogic',
        arguments: { tiers: [['gold', 'silver']] },
        meta: awkwardMeta,
      }),
      flags: { is_published: false, is_active: true, is_archived: false },
      created_at: time,
    },
  };
}

function ruleAdded(groupId: number, ruleId: number, template: number | null): NewEvent {
  return {
    type: 'GroupRuleAdded',
    data: {
      group_definition_id: groupId,
      rule_id: ruleId,
      rule: {
        group_rule_definition_id: template,
        rule: template === null ? nestedRule : null,
        type: 'inclusion',
        name: null,
        arguments: template === null ? [] : [{ name: 'tiers', value: [['x'], ['y']] }],
        sort_order: 0,
        is_active: true,
        meta: awkwardMeta,
      },
      rule_version: 1,
      effective: {
        handle: template === null ? null : 'tier-in',
        evaluator: 'jsonlogic',
        rule: nestedRule,
        name: null,
        arguments: { $tiers: [['x']] },
        rule_definition_version: template === null ? null : 1,
      },
      added_at: time,
    },
  };
}

function memberAdded(groupId: number, profileId: string): NewEvent {
  return {
    type: 'MemberAdded',
    data: {
      group_definition_id: groupId,
      profile_id: profileId,
      membership_id: `m-${groupId}-${profileId}`,
      added_at: time,
      expires_at: null,
      added_by_profile_id: null,
      source_type: 'rule',
      source_id: null,
      meta: { rules: [[1]] },
    },
  };
}

const evaluation = (groupId: number): NewEvent[] => [
  {
    type: 'RefreshRequested',
    data: { group_definition_id: groupId, requested_at: time },
  },
  {
    type: 'RefreshStarted',
    data: {
      group_definition_id: groupId,
      snapshot_id: `run-${groupId}`,
      trigger: 'manual',
      started_at: time,
    },
  },
  {
    type: 'SnapshotTaken',
    data: {
      group_definition_id: groupId,
      snapshot_id: `run-${groupId}`,
      trigger: 'manual',
      started_at: time,
      finished_at: '2026-07-01T10:00:03.000Z',
      definition_version: 3,
      rule_versions: [
        { rule_id: 10, rule_version: 1, rule_definition_id: null, rule_definition_version: null },
      ],
      counts: { evaluated: 2, included: 1, added: 1, removed: 0 },
      profile_versions_digest: 'sha256:0',
      next_refresh_at: null,
    },
  },
];

describe('read models of dynamic groups against a real MongoDB wire server', () => {
  let client: MongoClient;
  let db: Db;
  let store: EventStore;

  beforeAll(async () => {
    ({ client, db } = await connectTestDb('dynamic_views'));
    store = new EventStore(db);
    await store.ensureIndexes();
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  async function append(stream: string, events: NewEvent[]): Promise<EventEnvelope[]> {
    const current = await store.readStream(stream);

    return store.append(stream, current.version, events, metadata);
  }

  it('stores rules with nested arrays and $ keys encoded, and reads them back as sent', async () => {
    const collections = collectionsWithSuffix('_nested');
    const writer = new ReadModelWriter(db, collections);
    await writer.ensureIndexes();
    const queries = new ReadModelQueries(db, collections);
    const history = [
      ...(await append(ruleDefinitionStream(1), [ruleDefinitionCreated])),
      // The evaluation stream may be consumed before the definition it belongs to.
      ...(await append(groupEvaluationStream(7), evaluation(7).slice(0, 2))),
      ...(await append(groupDefinitionStream(7), [
        groupCreated(7),
        ruleAdded(7, 10, null),
        ruleAdded(7, 11, 1),
      ])),
      ...(await append(membershipStream(7, 'p-1'), [memberAdded(7, 'p-1')])),
    ];
    for (const event of history) await writer.apply(event);
    await writer.flush();

    const group = await queries.definitionByHandle('dynamic-7');
    expect(group).toMatchObject({
      id: 7,
      version: 3,
      query: nestedRule,
      arguments: { tiers: [['gold', 'silver']] },
      meta: awkwardMeta,
      rule_definition_ids: [1],
      refresh_status: 'running',
      current_member_count: 1,
    });
    expect(group?.rules.map((rule) => [rule.id, rule.rule, rule.meta])).toEqual([
      [10, nestedRule, awkwardMeta],
      [11, null, awkwardMeta],
    ]);
    expect(group?.rules[1]?.arguments).toEqual([{ name: 'tiers', value: [['x'], ['y']] }]);
    expect(group?.rules[1]?.effective.arguments).toEqual({ $tiers: [['x']] });
    expect(await queries.ruleDefinitionByHandle('tier-in')).toMatchObject({
      id: 1,
      rule: { in: [{ var: 'tier' }, { arg: 'tiers' }] },
      arguments: [{ name: 'tiers', type: 'array', required: false, default: [['gold']] }],
      meta: awkwardMeta,
    });
    const members = await queries.members(7, { includeRemoved: false }, { number: 1, size: 10 });
    expect(members.items[0]?.meta).toEqual({ rules: [[1]] });
    expect(await queries.definitionsUsingRuleDefinition(1)).toEqual([7]);
    expect(await queries.definitionsUsingRuleDefinition(2)).toEqual([]);

    // The stored document holds strings where the free-form JSON is.
    const stored = await writer.definitions.findOne({ _id: 7 });
    expect(typeof stored?.rules_json).toBe('string');
    expect(stored).not.toHaveProperty('rules');

    // Redelivery of everything, in any order, changes nothing.
    const before = await queries.definitionById(7);
    for (const event of [...history].reverse()) await writer.apply(event);
    await writer.flush();
    expect(await queries.definitionById(7)).toEqual(before);
  });

  it('records runs per snapshot and merges the refresh state into the definition', async () => {
    const collections = collectionsWithSuffix('_runs');
    const writer = new ReadModelWriter(db, collections);
    const queries = new ReadModelQueries(db, collections);
    const history = [
      ...(await append(groupDefinitionStream(8), [groupCreated(8)])),
      ...(await append(groupEvaluationStream(8), evaluation(8))),
      ...(await append(groupEvaluationStream(8), [
        {
          type: 'SnapshotTaken',
          data: {
            ...(evaluation(8)[2]!.data as Record<string, unknown>),
            snapshot_id: 'incremental-8',
            trigger: 'profile_change',
          },
        },
      ])),
    ];
    for (const event of [...history, ...history]) await writer.apply(event);
    await writer.flush();

    expect(await queries.definitionById(8)).toMatchObject({
      refresh_status: 'idle',
      last_refreshed_at: '2026-07-01T10:00:03.000Z',
      refresh_error: null,
    });
    const runs = await queries.snapshots(8, { number: 1, size: 10 });
    expect(runs.total).toBe(2);
    expect(runs.items.map((run) => [run.id, run.status, run.trigger])).toEqual([
      ['incremental-8', 'completed', 'profile_change'],
      ['run-8', 'completed', 'manual'],
    ]);
    expect((await queries.completedSnapshots(8, 1))[0]?.id).toBe('incremental-8');
    expect(await queries.snapshot(8, 'run-8')).toMatchObject({
      counts: { evaluated: 2, included: 1, added: 1, removed: 0 },
      sequence: 2,
    });
    expect(await queries.snapshot(7, 'run-8')).toBeNull();
  });

  it('rebuilds every view from the history equal to the live ones', async () => {
    // Live: what the consumer applied in the two tests above, plus profile events.
    const live = collectionsWithSuffix('_live');
    const writer = new ReadModelWriter(db, live);
    await append(profileStream('p-1'), [
      {
        type: 'ProfileUpserted',
        data: { profile_id: 'p-1', attributes: { tier: [['gold']] }, upserted_at: time },
      },
    ]);
    for (const category of [
      'group-evaluation',
      'group-member',
      'rule-definition',
      'group-definition',
      'profile',
    ] as const) {
      for await (const stream of store.readAllStreams(category)) {
        for (const event of stream.events) await writer.apply(event);
      }
    }
    await writer.flush();

    const rebuilt = collectionsWithSuffix('_rebuilt');
    await rebuildReadModels(store, db, rebuilt);

    expect(await diffReadModels(db, live, rebuilt)).toEqual([]);

    await db
      .collection(live.definitions)
      .updateOne({ _id: 7 as never }, { $set: { rules_json: '[]' } });
    await db.collection(live.snapshots).deleteOne({ _id: 'run-8' as never });
    const differences = await diffReadModels(db, live, rebuilt);
    expect(differences.map((d) => [d.collection, d.id, d.field])).toEqual(
      expect.arrayContaining([
        ['definitions', '7', 'rules'],
        ['snapshots', 'run-8', '(document)'],
      ]),
    );
  });
});
