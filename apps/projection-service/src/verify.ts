import 'reflect-metadata';

import { topicName } from '@profile-groups/contracts';
import {
  checkHistoryIndex,
  EventStore,
  OUTBOX_COLLECTION,
  OUTBOX_DEAD_LETTERS_COLLECTION,
} from '@profile-groups/event-store';
import { Logger } from '@profile-groups/observability';
import { connectPlatform, describeTargets } from '@profile-groups/platform';
import {
  collectionsWithSuffix,
  currentRebuild,
  diffReadModels,
  isStale,
  LIVE_COLLECTIONS,
  READ_MODEL_NAMES,
  type ReadModelDifference,
  rebuildReadModels,
} from '@profile-groups/read-models';
import { type Kafka } from 'kafkajs';

import {
  loadProjectionConfig,
  PROJECTED_TOPICS,
  projectionGroupId,
  type ProjectionConfig,
} from './projection.config';

/**
 * `npm run verify`: waits until the system is quiet, rebuilds every read model from
 * the full history into side collections, and prints each field that differs from
 * the live read models; a difference found is checked again (up to three rounds) so
 * that a change landing during a rebuild is not reported. Exits 1 on any difference,
 * 3 when the system never got quiet or a rebuild is running. A rebuild that was stopped
 * midway counts as a difference: its views are not what history says until it is finished.
 */
async function main(): Promise<number> {
  const config = loadProjectionConfig();
  const logger = new Logger('verify', 'warn');
  process.stderr.write(`verify: ${describeTargets(config)}\n`);
  const platform = await connectPlatform(config, 'verify', logger);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const rebuild = await currentRebuild(platform.db);
    if (rebuild !== null) {
      // Its views are half switched or not caught up: comparing them says nothing.
      if (!isStale(rebuild, new Date())) {
        out(`verify: a rebuild started at ${rebuild.started_at} is running; verify after it`);

        return 3;
      }
      out(
        `verify: the rebuild started at ${rebuild.started_at} stopped during its ${rebuild.phase} phase; ` +
          'run `npm run rebuild` to finish it',
      );

      return 1;
    }
    // The system may move while a rebuild runs (a time-dependent rule firing, say):
    // a difference counts only if every one of a few rounds finds it.
    let differences: ReadModelDifference[] | null = null;
    for (
      let round = 1;
      round <= ROUNDS && (differences === null || differences.length > 0);
      round++
    ) {
      if (!(await waitUntilQuiet(platform.db, platform.kafka, config, 60_000))) {
        out('verify: the system did not become quiet (outbox or consumer lag) within 60 s');

        return 3;
      }
      const found = await compareWithRebuild(platform.db, out);
      differences =
        differences === null
          ? found
          : found.filter((d) => differences!.some((e) => sameField(d, e)));
      if (differences.length > 0 && round < ROUNDS) {
        out(
          `verify: ${differences.length} differences; checking again in case they were in flight`,
        );
      }
    }
    differences ??= [];
    // The paged group history is kept by the relay, not the projection: checked apart.
    const historyProblems = await checkHistoryIndex(platform.db);
    for (const p of historyProblems) {
      out(`verify: DIFFERENCE history group ${p.group_definition_id} ${p.problem} ${p.at}`);
    }
    for (const d of differences) {
      out(
        `verify: DIFFERENCE ${d.collection} ${d.id} ${d.field}: live=${JSON.stringify(d.live)} rebuilt=${JSON.stringify(d.rebuilt)}`,
      );
    }
    out(
      `verify: ${differences.length === 0 ? 'no differences' : `${differences.length} differences`}`,
    );
    const deadLettered = await platform.db
      .collection(OUTBOX_DEAD_LETTERS_COLLECTION)
      .countDocuments({});
    if (deadLettered > 0) {
      // Each is missing from the live views and present in the rebuild.
      out(`verify: ${deadLettered} events were never published (outbox_dead_letters)`);
    }

    out(
      `verify: paged group history: ${historyProblems.length === 0 ? 'no problems' : `${historyProblems.length} problems`}`,
    );

    return differences.length === 0 && historyProblems.length === 0 ? 0 : 1;
  } finally {
    await platform.close();
  }
}

const ROUNDS = 3;

/** Rebuilds every read model aside and diffs it with the live ones. */
async function compareWithRebuild(
  db: import('mongodb').Db,
  out: (line: string) => void,
): Promise<ReadModelDifference[]> {
  const side = collectionsWithSuffix(`__verify_${Date.now()}`);
  try {
    await rebuildReadModels(new EventStore(db), db, side, (p) =>
      out(`verify: replayed ${p.category}: ${p.streams} streams, ${p.events} events`),
    );

    return await diffReadModels(db, LIVE_COLLECTIONS, side);
  } finally {
    for (const name of READ_MODEL_NAMES) {
      await db
        .collection(side[name])
        .drop()
        .catch(() => undefined);
    }
  }
}

function sameField(a: ReadModelDifference, b: ReadModelDifference): boolean {
  return a.collection === b.collection && a.id === b.id && a.field === b.field;
}

async function waitUntilQuiet(
  db: import('mongodb').Db,
  kafka: Kafka,
  config: ProjectionConfig,
  timeoutMs: number,
): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const pending = await db.collection(OUTBOX_COLLECTION).countDocuments({});
      if (pending === 0 && (await consumerLag(admin, config)) === 0) return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await admin.disconnect();
  }
}

async function consumerLag(
  admin: ReturnType<Kafka['admin']>,
  config: ProjectionConfig,
): Promise<number> {
  const topics = PROJECTED_TOPICS.map((topic) => topicName(config.KAFKA_TOPIC_PREFIX, topic));
  const committed = await admin.fetchOffsets({ groupId: projectionGroupId(config), topics });
  let lag = 0;
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const done = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const end of ends) {
      const offset = Number(done.find((p) => p.partition === end.partition)?.offset ?? '-1');
      lag += Number(end.high) - Math.max(0, offset);
    }
  }

  return lag;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `verify failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(2);
  },
);
