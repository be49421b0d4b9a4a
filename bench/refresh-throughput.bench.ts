// Full-refresh throughput against a raw scan of the profile store, side by side in one
// run. The scan is the floor: a refresh reads the same documents and also evaluates
// every profile, compares it with the current members and archives its result.
//
//   npm run bench:refresh -- --profiles 20000 --rounds 3
import { randomUUID } from 'node:crypto';

import {
  type GroupDefinitionEvent,
  groupDefinitionStream,
  type JsonObject,
} from '@profile-groups/contracts';
import {
  decideGroupDefinition,
  evolveGroupDefinition,
  type GroupDefinitionCommand,
  type GroupDefinitionState,
} from '@profile-groups/domain';
import { ProfileStore, SnapshotArchive } from '@profile-groups/evaluation';
import { EventStore } from '@profile-groups/event-store';
import { Logger } from '@profile-groups/observability';
import { generateProfile, groupAttributes } from '@profile-groups/testing';
import { MongoClient } from 'mongodb';

import { EvaluationLog } from '../apps/evaluation-worker/src/dynamic/evaluation-log';
import { GroupCatalog } from '../apps/evaluation-worker/src/dynamic/group-catalog';
import { GroupRefresher } from '../apps/evaluation-worker/src/dynamic/group-refresher';
import { PairIndex } from '../apps/evaluation-worker/src/dynamic/pair-index';
import { ProfileChangeLog } from '../apps/evaluation-worker/src/dynamic/profile-change-log';
import { RuleMembershipWriter } from '../apps/evaluation-worker/src/dynamic/rule-membership-writer';
import { TimeRechecks } from '../apps/evaluation-worker/src/dynamic/time-rechecks';
import { benchServers, numberArg } from './servers';

const RULES: { type: 'inclusion' | 'exclusion'; rule: JsonObject }[] = [
  {
    type: 'inclusion',
    rule: {
      and: [
        { '>=': [{ var: 'total_spend' }, 1500] },
        { in: [{ var: 'tier' }, ['gold', 'platinum']] },
      ],
    },
  },
  {
    type: 'inclusion',
    rule: { and: [{ var: 'joined_at' }, { '<=': [{ days_since: { var: 'joined_at' } }, 90] }] },
  },
  { type: 'exclusion', rule: { in: ['b2b', { var: 'tags' }] } },
  { type: 'exclusion', rule: { '!': { var: 'consent.email' } } },
];

async function main(): Promise<void> {
  const profileCount = numberArg('profiles', 20_000);
  const rounds = numberArg('rounds', 3);
  const servers = await benchServers();
  const client = await MongoClient.connect(servers.mongoUrl);
  const db = client.db(`bench_refresh_${randomUUID().slice(0, 8)}`);
  const logger = new Logger('bench', 'warn');
  try {
    const store = new EventStore(db);
    const profiles = new ProfileStore(db);
    await profiles.open();
    const loadStarted = Date.now();
    await profiles.load(
      Array.from({ length: profileCount }, (_, i) => {
        const attributes = generateProfile(i, 11);

        return { profile_id: attributes.profile_id, attributes };
      }),
      new Date().toISOString(),
    );
    console.log(`loaded ${profileCount} profiles in ${Date.now() - loadStarted} ms`);

    await createGroup(store, 1);
    const pairs = new PairIndex(store);
    const refresher = new GroupRefresher({
      catalog: new GroupCatalog(store, logger),
      profiles,
      archive: new SnapshotArchive(db),
      pairs,
      writer: new RuleMembershipWriter(store, pairs),
      log: new EvaluationLog(store),
      changes: new ProfileChangeLog(),
      rechecks: new TimeRechecks(),
      logger,
    });
    const metadata = { correlation_id: 'bench', causation_id: null, actor: 'bench' };

    const firstStarted = Date.now();
    const first = await refresher.refresh(1, 'rule_change', metadata);
    const firstMs = Date.now() - firstStarted;
    console.log(
      `first refresh: ${first?.counts.included} members added in ${firstMs} ms ` +
        `(${rate(profileCount, firstMs)} profiles/s, includes appending every MemberAdded)`,
    );

    const scanTimes: number[] = [];
    const refreshTimes: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const scanStarted = Date.now();
      let scanned = 0;
      for await (const batch of profiles.scan(1000)) scanned += batch.length;
      scanTimes.push(Date.now() - scanStarted);
      if (scanned !== profileCount) throw new Error(`scan saw ${scanned} of ${profileCount}`);

      const refreshStarted = Date.now();
      const snapshot = await refresher.refresh(1, 'manual', metadata);
      refreshTimes.push(Date.now() - refreshStarted);
      if (snapshot?.counts.evaluated !== profileCount || snapshot.counts.added !== 0) {
        throw new Error(
          `steady refresh did not evaluate everyone once: ${JSON.stringify(snapshot)}`,
        );
      }
    }
    const scan = median(scanTimes);
    const refresh = median(refreshTimes);
    console.log(
      `raw scan of the profile store: ${rate(profileCount, scan)} profiles/s (median ${scan} ms)`,
    );
    console.log(
      `full refresh, no changes:      ${rate(profileCount, refresh)} profiles/s (median ${refresh} ms)`,
    );
    console.log(`refresh / scan throughput:     ${(scan / refresh).toFixed(2)}`);
    console.log(
      `reproduce: npm run bench:refresh -- --profiles ${profileCount} --rounds ${rounds}`,
    );
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
    await servers.stop();
  }
}

async function createGroup(store: EventStore, groupId: number): Promise<void> {
  const now = new Date();
  const commands: GroupDefinitionCommand[] = [
    {
      kind: 'CreateGroupDefinition',
      id: groupId,
      attributes: groupAttributes({ name: 'Bench', handle: 'bench', type: 'dynamic' }),
      flags: { is_published: false, is_active: true, is_archived: false },
      now,
    },
    ...RULES.map(
      (rule, i): GroupDefinitionCommand => ({
        kind: 'AddGroupRule',
        ruleId: i + 1,
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
        now,
      }),
    ),
  ];
  let state: GroupDefinitionState | null = null;
  let version = 0;
  for (const command of commands) {
    const events: GroupDefinitionEvent[] = decideGroupDefinition(state, command);
    await store.append(groupDefinitionStream(groupId), version, events, {
      correlation_id: 'bench',
      causation_id: null,
      actor: 'bench',
    });
    version += events.length;
    state = events.reduce(evolveGroupDefinition, state);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);

  return sorted[Math.floor(sorted.length / 2)]!;
}

function rate(count: number, ms: number): string {
  return Math.round((count / Math.max(ms, 1)) * 1000).toLocaleString('en');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
