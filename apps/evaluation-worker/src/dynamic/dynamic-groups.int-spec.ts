import {
  type EnvelopeOf,
  type EvaluationEvent,
  type JsonObject,
  type GroupDefinitionEvent,
  groupDefinitionStream,
  groupEvaluationStream,
  type JsonValue,
  type RuleDefinitionEvent,
  ruleDefinitionStream,
  type RuleType,
} from '@profile-groups/contracts';
import {
  decideGroupDefinition,
  decideRuleDefinition,
  evolveGroupDefinition,
  evolveRuleDefinition,
  type GroupDefinitionCommand,
  type GroupDefinitionState,
  type RuleDefinitionCommand,
  type RuleDefinitionState,
} from '@profile-groups/domain';
import { ProfileStore, SnapshotArchive } from '@profile-groups/evaluation';
import { EventStore } from '@profile-groups/event-store';
import { connectTestDb, groupAttributes, silentLogger, waitFor } from '@profile-groups/testing';
import { Logger } from '@profile-groups/observability';
import { type Db, type MongoClient } from 'mongodb';

import { DynamicGroups } from './dynamic-groups';
import { EvaluationLog } from './evaluation-log';
import { GroupCatalog } from './group-catalog';
import { GroupRefresher } from './group-refresher';
import { PairIndex } from './pair-index';
import { ProfileChangeLog } from './profile-change-log';
import { ProfileIntake } from './profile-intake';
import { RuleMembershipWriter } from './rule-membership-writer';
import { TimeRechecks } from './time-rechecks';

const metadata = { correlation_id: 'c', causation_id: null, actor: 'test' };
const MINUTE = 60_000;

/** The worker's scheduling and follow-up decisions, on the real server, with a hand-driven clock. */
describe('DynamicGroups', () => {
  let client: MongoClient;
  let db: Db;
  let store: EventStore;
  let profiles: ProfileStore;
  let now = new Date('2026-12-01T12:00:00.000Z');
  const clock = () => now;
  let running: DynamicGroups[] = [];

  beforeAll(async () => {
    ({ client, db } = await connectTestDb('dynamic-groups'));
    store = new EventStore(db);
    profiles = new ProfileStore(db);
    await profiles.open();
    await profiles.load(
      ['gold', 'silver', 'gold'].map((tier, i) => ({
        profile_id: `p${i}`,
        attributes: { tier, spend: i * 100 },
      })),
      now.toISOString(),
    );
  });

  afterEach(async () => {
    for (const worker of running) await worker.stop();
    running = [];
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  /** A worker as the app wires it, minus Kafka: tests hand it the events. */
  async function startWorker(logger: Logger = silentLogger): Promise<DynamicGroups> {
    const catalog = new GroupCatalog(store, silentLogger);
    const pairs = new PairIndex(store);
    const writer = new RuleMembershipWriter(store, pairs, clock);
    const log = new EvaluationLog(store);
    const changes = new ProfileChangeLog();
    const rechecks = new TimeRechecks();
    const archive = new SnapshotArchive(db);
    const shared = {
      catalog,
      archive,
      writer,
      log,
      changes,
      rechecks,
      profiles,
      logger,
    };
    const worker = new DynamicGroups(
      store,
      catalog,
      new GroupRefresher({ ...shared, pairs, clock }),
      new ProfileIntake({ ...shared, store, pairs, clock }),
      pairs,
      log,
      changes,
      rechecks,
      silentLogger,
      { catalogReloadMs: 60 * MINUTE, tickMs: 10 },
      clock,
    );
    await worker.start();
    running.push(worker);

    return worker;
  }

  async function decideGroup(id: number, command: GroupDefinitionCommand) {
    const read = await store.readStream(groupDefinitionStream(id));
    const state = (
      read.events as unknown as GroupDefinitionEvent[]
    ).reduce<GroupDefinitionState | null>(evolveGroupDefinition, null);
    return store.append(
      groupDefinitionStream(id),
      read.version,
      decideGroupDefinition(state, command),
      metadata,
    );
  }

  /** An active inline inclusion rule, the first of its group. */
  async function addInclusionRule(groupId: number, ruleId: number, rule: JsonObject) {
    return decideGroup(groupId, {
      kind: 'AddGroupRule',
      ruleId,
      attributes: {
        group_rule_definition_id: null,
        rule,
        type: 'inclusion',
        name: null,
        arguments: [],
        sort_order: 0,
        is_active: true,
        meta: null,
      },
      template: null,
      now,
    });
  }

  async function decideTemplate(id: number, command: RuleDefinitionCommand) {
    const read = await store.readStream(ruleDefinitionStream(id));
    const state = (
      read.events as unknown as RuleDefinitionEvent[]
    ).reduce<RuleDefinitionState | null>(evolveRuleDefinition, null);
    return store.append(
      ruleDefinitionStream(id),
      read.version,
      decideRuleDefinition(state, command),
      metadata,
    );
  }

  async function template(id: number): Promise<RuleDefinitionState> {
    const read = await store.readStream(ruleDefinitionStream(id));

    return (read.events as unknown as RuleDefinitionEvent[]).reduce<RuleDefinitionState | null>(
      evolveRuleDefinition,
      null,
    )!;
  }

  async function evaluation(id: number): Promise<EvaluationEvent[]> {
    return (await store.readStream(groupEvaluationStream(id)))
      .events as unknown as EvaluationEvent[];
  }

  async function members(id: number): Promise<string[]> {
    const pairs = await store.readStreams('group-member', { group_definition_id: id });

    return [...pairs.values()]
      .filter((read) => read.events.at(-1)?.type === 'MemberAdded')
      .map((read) => (read.events[0]!.data as { profile_id: string }).profile_id)
      .sort();
  }

  async function createGroup(id: number, attributes: Parameters<typeof groupAttributes>[0]) {
    return decideGroup(id, {
      kind: 'CreateGroupDefinition',
      id,
      attributes: groupAttributes({
        name: `g${id}`,
        handle: `g${id}`,
        type: 'dynamic',
        ...attributes,
      }),
      flags: { is_published: false, is_active: true, is_archived: false },
      now,
    });
  }

  it('refreshes on a rule change, then on schedule, and stops after refresh_absolute_expiry', async () => {
    const worker = await startWorker();
    const created = await createGroup(1, {
      refresh_period: 10,
      refresh_period_type: 'minutes',
      refresh_absolute_expiry: new Date(now.getTime() + 15 * MINUTE).toISOString(),
    });
    await worker.onDefinitionEvent(created[0] as EnvelopeOf<GroupDefinitionEvent>);
    const added = await decideGroup(1, {
      kind: 'AddGroupRule',
      ruleId: 11,
      attributes: {
        group_rule_definition_id: null,
        rule: { '==': [{ var: 'tier' }, 'gold'] },
        type: 'inclusion',
        name: null,
        arguments: [],
        sort_order: 0,
        is_active: true,
        meta: null,
      },
      template: null,
      now,
    });
    await worker.onDefinitionEvent(added[0] as EnvelopeOf<GroupDefinitionEvent>);
    await worker.idle();
    expect(await members(1)).toEqual(['p0', 'p2']);
    const first = (await evaluation(1)).filter((e) => e.type === 'SnapshotTaken');
    expect(first.map((e) => [e.data.trigger, e.data.next_refresh_at])).toEqual([
      ['rule_change', '2026-12-01T12:10:00.000Z'],
    ]);

    now = new Date(now.getTime() + 10 * MINUTE);
    await waitFor(
      async () => (await evaluation(1)).filter((e) => e.type === 'SnapshotTaken').length === 2,
      {
        what: 'the scheduled refresh',
      },
    );
    await worker.idle();
    const [, scheduled] = (await evaluation(1)).filter((e) => e.type === 'SnapshotTaken');
    // The next one would fall after refresh_absolute_expiry: none is planned.
    expect(scheduled).toMatchObject({ data: { trigger: 'schedule', next_refresh_at: null } });
  });

  it('finishes a refresh whose exclusion rule runs out of budget, not excluding, and logs it once', async () => {
    const lines: string[] = [];
    const worker = await startWorker(new Logger('test', 'warn', (line) => lines.push(line)));
    // Passes validation (an array built by map counts as one item there), and takes
    // 800 x 800 iterations for any profile: past the evaluation budget.
    const items = Array.from({ length: 800 }, (_, i) => i);
    const costly: JsonValue = {
      some: [
        { map: [items, { var: '' }] },
        { some: [{ map: [items, { var: '' }] }, { '==': [{ var: '' }, -1] }] },
      ],
    };
    const created = await createGroup(5, {});
    await worker.onDefinitionEvent(created[0] as EnvelopeOf<GroupDefinitionEvent>);
    const rules: [number, RuleType, JsonValue][] = [
      [51, 'inclusion', { '==': [{ var: 'tier' }, 'gold'] }],
      [52, 'exclusion', costly],
    ];
    for (const [ruleId, type, rule] of rules) {
      const added = await decideGroup(5, {
        kind: 'AddGroupRule',
        ruleId,
        attributes: {
          group_rule_definition_id: null,
          rule,
          type,
          name: null,
          arguments: [],
          sort_order: ruleId,
          is_active: true,
          meta: null,
        },
        template: null,
        now,
      });
      await worker.onDefinitionEvent(added[0] as EnvelopeOf<GroupDefinitionEvent>);
    }
    await worker.idle();

    expect(await members(5)).toEqual(['p0', 'p2']);
    const runs = (await evaluation(5)).map((event) => event.type);
    expect(runs).toContain('SnapshotTaken');
    expect(runs).not.toContain('RefreshFailed');
    const failures = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'refresh.rule_failures');
    expect(failures.at(-1)).toMatchObject({
      level: 'warn',
      group_definition_id: 5,
      profiles: 3,
      failures: { 'rule 52: budget_exceeded': 3 },
    });
  });

  it('re-resolves the rules built from a rule definition that changed, and re-evaluates', async () => {
    const worker = await startWorker();
    await decideTemplate(5, {
      kind: 'CreateRuleDefinition',
      id: 5,
      attributes: {
        handle: 'spend-over',
        name: 'Spend over',
        description: null,
        evaluator: 'jsonlogic',
        rule: { '>': [{ var: 'spend' }, { arg: 'minimum' }] },
        arguments: [{ name: 'minimum', type: 'number', required: true }],
        meta: null,
      },
      now,
    });
    await createGroup(2, {});
    const added = await decideGroup(2, {
      kind: 'AddGroupRule',
      ruleId: 21,
      attributes: {
        group_rule_definition_id: 5,
        rule: null,
        type: 'inclusion',
        name: null,
        arguments: [{ name: 'minimum', value: 50 }],
        sort_order: 0,
        is_active: true,
        meta: null,
      },
      template: await template(5),
      now,
    });
    await worker.onDefinitionEvent(added[0] as EnvelopeOf<GroupDefinitionEvent>);
    await worker.idle();
    expect(await members(2)).toEqual(['p1', 'p2']);

    const [updated] = await decideTemplate(5, {
      kind: 'UpdateRuleDefinition',
      changes: { rule: { '<': [{ var: 'spend' }, { arg: 'minimum' }] } },
      now,
    });
    await worker.onRuleDefinitionEvent(updated as EnvelopeOf<RuleDefinitionEvent>);
    const stream = await store.readStream(groupDefinitionStream(2));
    const changed = stream.events.at(-1) as EnvelopeOf<GroupDefinitionEvent>;
    expect(changed).toMatchObject({
      type: 'RuleChanged',
      data: {
        rule_id: 21,
        rule_version: 2,
        cause: 'rule_definition_changed',
        effective: { rule: { '<': [{ var: 'spend' }, 50] }, rule_definition_version: 2 },
      },
    });
    await worker.onDefinitionEvent(changed);
    await worker.idle();
    expect(await members(2)).toEqual(['p0']);
  });

  it('after a restart, runs a refresh that was asked for but never run', async () => {
    await createGroup(3, {});
    await addInclusionRule(3, 31, { '==': [{ var: 'tier' }, 'silver'] });
    // Stored while no worker ran: the rule change and a request.
    await store.append(
      groupEvaluationStream(3),
      0,
      [
        {
          type: 'RefreshRequested',
          data: { group_definition_id: 3, requested_at: now.toISOString() },
        },
      ],
      metadata,
    );
    const worker = await startWorker();
    await worker.idle();
    expect(await members(3)).toEqual(['p1']);
    const types = (await evaluation(3)).map((e) => e.type);
    // One run covers both the request and the unevaluated rule change.
    expect(types).toEqual(['RefreshRequested', 'RefreshStarted', 'SnapshotTaken']);
  });

  it('after a restart, closes a run the stopped worker left open and runs it again', async () => {
    await createGroup(7, {});
    await addInclusionRule(7, 71, { '==': [{ var: 'tier' }, 'gold'] });
    // The worker died in the middle of this run.
    await store.append(
      groupEvaluationStream(7),
      0,
      [
        {
          type: 'RefreshStarted',
          data: {
            group_definition_id: 7,
            snapshot_id: 'cut-short',
            trigger: 'manual',
            started_at: now.toISOString(),
          },
        },
      ],
      metadata,
    );
    const worker = await startWorker();
    await worker.idle();

    const events = await evaluation(7);
    expect(events.map((e) => e.type)).toEqual([
      'RefreshStarted',
      'RefreshFailed',
      'RefreshStarted',
      'SnapshotTaken',
    ]);
    expect(events[1]).toMatchObject({
      data: {
        snapshot_id: 'cut-short',
        trigger: 'manual',
        error: expect.stringContaining('Interrupted') as string,
      },
    });
    expect(events[2]!.data).toMatchObject({ trigger: 'manual' });
    expect(await members(7)).toEqual(['p0', 'p2']);
  });

  it('answers a refresh asked for on a group it does not evaluate with RefreshFailed', async () => {
    const worker = await startWorker();
    await decideGroup(4, {
      kind: 'CreateGroupDefinition',
      id: 4,
      attributes: groupAttributes({ name: 'g4', handle: 'g4', type: 'dynamic' }),
      flags: { is_published: false, is_active: false, is_archived: false },
      now,
    });
    const [requested] = await store.append(
      groupEvaluationStream(4),
      0,
      [
        {
          type: 'RefreshRequested',
          data: { group_definition_id: 4, requested_at: now.toISOString() },
        },
      ],
      metadata,
    );
    worker.onEvaluationEvent(requested as EnvelopeOf<EvaluationEvent>);
    await worker.idle();
    const [, failed] = await evaluation(4);
    expect(failed).toMatchObject({
      type: 'RefreshFailed',
      data: { trigger: 'manual', error: expect.stringContaining('not evaluated') as string },
    });
  });

  it('refreshes once for a backlog of rule events it reads after they were all stored', async () => {
    const worker = await startWorker();
    const events = [...(await createGroup(6, {}))];
    for (const [i, tier] of ['gold', 'silver'].entries()) {
      events.push(
        ...(await decideGroup(6, {
          kind: 'AddGroupRule',
          ruleId: 61 + i,
          attributes: {
            group_rule_definition_id: null,
            rule: { '==': [{ var: 'tier' }, tier] },
            type: 'inclusion',
            name: null,
            arguments: [],
            sort_order: i,
            is_active: true,
            meta: null,
          },
          template: null,
          now,
        })),
      );
    }
    // Handled one after the other, each once more as a redelivery would.
    for (const event of [...events, ...events]) {
      await worker.onDefinitionEvent(event as EnvelopeOf<GroupDefinitionEvent>);
    }
    await worker.idle();
    expect((await evaluation(6)).map((e) => e.type)).toEqual(['RefreshStarted', 'SnapshotTaken']);
    expect(await members(6)).toEqual(['p0', 'p1', 'p2']);
  });
});
