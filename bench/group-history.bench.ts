// One page of a long group history, side by side in one run: the whole history read
// and sorted in memory, then sliced (how every page was served before the paged
// index), against the page read from the index.
//
//   npm run bench:history -- --members 20000 --rounds 5
import { randomUUID } from 'node:crypto';

import {
  type EventEnvelope,
  groupDefinitionStream,
  membershipStream,
  type NewEvent,
} from '@profile-groups/contracts';
import { EventStore, GROUP_HISTORY_CATEGORIES, OutboxRelay } from '@profile-groups/event-store';
import { Logger } from '@profile-groups/observability';
import { type Db, MongoClient } from 'mongodb';

import { benchServers, numberArg } from './servers';

const GROUP = 1;
const PAGE_SIZE = 25;
const BATCH = 1_000;
const metadata = { correlation_id: 'bench', causation_id: null, actor: 'bench' };

function memberAdded(profileId: string): NewEvent {
  return {
    type: 'MemberAdded',
    data: {
      group_definition_id: GROUP,
      profile_id: profileId,
      membership_id: `m-${profileId}`,
      added_at: '2026-01-01T00:00:00.000Z',
      expires_at: null,
      added_by_profile_id: null,
      source_type: 'rule',
      source_id: null,
      meta: null,
    },
  };
}

/**
 * A definition commit, then the members in batches of a thousand, as a refresh adds
 * them; then relayed, which indexes them.
 */
async function load(db: Db, store: EventStore, members: number): Promise<void> {
  await store.append(
    groupDefinitionStream(GROUP),
    0,
    [
      {
        type: 'GroupDefinitionDeleted',
        data: { group_definition_id: GROUP, handle: 'bench', deleted_at: '2026-01-02T00:00:00Z' },
      },
    ],
    metadata,
  );
  for (let from = 0; from < members; from += BATCH) {
    const ids = Array.from({ length: Math.min(BATCH, members - from) }, (_, i) => from + i);
    await store.appendMany(
      ids.map((i) => ({
        stream: membershipStream(GROUP, `p-${i}`),
        expectedVersion: 0,
        events: [memberAdded(`p-${i}`)],
      })),
      metadata,
    );
  }
  // The relay indexes the history as it publishes; a broker that takes everything will do.
  const relay = new OutboxRelay(
    db,
    { publish: () => Promise.resolve({ refused: [] }) },
    { pollIntervalMs: 10, intentGraceMs: 60_000 },
    new Logger('bench', 'silent'),
  );
  while ((await relay.relayOnce()) > 0);
}

async function wholeHistoryPage(store: EventStore, offset: number) {
  const events = await store.readHistory(GROUP_HISTORY_CATEGORIES, {
    group_definition_id: GROUP,
  });

  return { events: events.slice(offset, offset + PAGE_SIZE), total: events.length };
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = process.hrtime.bigint();
  const result = await run();

  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const ids = (events: readonly EventEnvelope[]) => events.map((e) => e.id).join();

async function main(): Promise<void> {
  const members = numberArg('members', 20_000);
  const rounds = numberArg('rounds', 5);
  const servers = await benchServers();
  const client = await MongoClient.connect(servers.mongoUrl);
  const db = client.db(`bench_history_${randomUUID().slice(0, 8)}`);
  try {
    const store = new EventStore(db);
    await store.ensureIndexes();
    const loaded = await timed(() => load(db, store, members));
    console.log(`loaded ${members + 1} events in ${(loaded.ms / 1000).toFixed(1)} s`);

    const total = members + 1;
    const pages = { first: 0, middle: Math.floor(total / 2), last: total - PAGE_SIZE };
    console.log(`page of ${PAGE_SIZE}, median of ${rounds} rounds, ms:`);
    console.log(
      'page     whole history  indexed, cold  indexed, warm  ratio cold/warm  same events',
    );
    for (const [name, offset] of Object.entries(pages)) {
      const times: [number[], number[], number[]] = [[], [], []];
      let same = true;
      for (let round = 0; round < rounds; round++) {
        // A new store knows no history's end yet, as after a restart; the warm one
        // found it on an earlier read, as a running API has.
        const runs = [
          () => wholeHistoryPage(store, offset),
          () => new EventStore(db).readGroupHistory(GROUP, offset, PAGE_SIZE),
          () => store.readGroupHistory(GROUP, offset, PAGE_SIZE),
        ];
        // Rotate which goes first, so that none always meets a warm server cache.
        const order = [0, 1, 2].map((i) => (i + round) % 3);
        const results: { events: EventEnvelope[]; total: number }[] = [];
        for (const i of order) {
          const { ms, result } = await timed(runs[i]!);
          times[i]!.push(ms);
          results[i] = result;
        }
        if (results.some((result) => result.total !== total)) {
          throw new Error(`totals differ: ${results.map((r) => r.total).join()} vs ${total}`);
        }
        same &&= results.every((result) => ids(result.events) === ids(results[0]!.events));
      }
      const [whole, cold, warm] = times.map(median) as [number, number, number];
      console.log(
        `${name.padEnd(8)} ${whole.toFixed(0).padStart(13)} ${cold.toFixed(0).padStart(14)} ` +
          `${warm.toFixed(0).padStart(14)} ${`${(whole / cold).toFixed(0)}x / ${(whole / warm).toFixed(0)}x`.padStart(15)}  ` +
          `${same ? 'yes' : 'no'}`,
      );
    }
  } finally {
    await db.dropDatabase();
    await client.close();
    await servers.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
