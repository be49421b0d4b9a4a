import { randomUUID } from 'node:crypto';

import { type EventStore, isDuplicateKey } from '@profile-groups/event-store';
import { type Collection, type Db, MongoServerError } from 'mongodb';

import { ReadModelWriter } from './read-model-writer';
import { READ_MODEL_CATEGORIES, rebuildReadModels, type RebuildProgress } from './rebuild';
import {
  collectionsWithSuffix,
  LIVE_COLLECTIONS,
  READ_MODEL_NAMES,
  type ReadModelCollections,
  type ReadModelName,
} from './views';

export interface ReplaceOptions {
  /** The read models to switch to their rebuild; all of them by default. */
  readonly only?: readonly ReadModelName[];
  /** Told how the run goes; awaited, so a caller can act between the steps. */
  readonly onProgress?: (progress: ReplaceProgress) => void | Promise<void>;
  /** Margin for writers' clocks when looking for commits stored during the rebuild. */
  readonly clockSkewMs?: number;
  readonly clock?: () => Date;
  /** How often a running rebuild says it is alive; one silent for 6 beats counts as stopped. */
  readonly heartbeatMs?: number;
}

export type ReplaceProgress =
  | { readonly phase: 'resume'; readonly run: RebuildRun }
  | ({ readonly phase: 'rebuild' } & RebuildProgress)
  | { readonly phase: 'switch'; readonly readModel: ReadModelName }
  | { readonly phase: 'catch-up'; readonly applied: number; readonly total: number };

/** The record of a rebuild under way, kept while it runs; a stale one was interrupted. */
export interface RebuildRun {
  readonly _id: typeof RUN_ID;
  readonly stamp: number;
  readonly started_at: string;
  readonly only: readonly ReadModelName[];
  readonly phase: 'rebuild' | 'switch' | 'catch-up';
  readonly heartbeat_at: string;
  /** The process working on it; one that took the run over puts its own. */
  readonly owner: string;
}

export const REBUILD_RUNS_COLLECTION = 'read_model_rebuild';
const RUN_ID = 'current';
const NAMESPACE_EXISTS = 48;
const DEFAULT_HEARTBEAT_MS = 10_000;
const CATCH_UP_REPORT_EVERY = 1_000;

/**
 * This rebuild's record was taken over while it was paused (stopped, swapped out,
 * cut off from its database) past the heartbeat window: it stops before switching
 * anything, and the one that took over carries on.
 */
export class RebuildTakenOverError extends Error {
  constructor() {
    super('this rebuild was paused past its heartbeat window and taken over by another');
  }
}

/** Another rebuild is running now (its record is fresh); two at once would undo each other. */
export class RebuildInProgressError extends Error {
  constructor(readonly run: RebuildRun) {
    super(
      `a rebuild started at ${run.started_at} is still running (last seen ${run.heartbeat_at})`,
    );
  }
}

/**
 * Rebuilds read models from the full history without stopping live traffic: builds
 * them aside, switches each into place by renaming, then applies once more every
 * commit stored since the rebuild began. The live projection keeps writing
 * throughout; whatever it wrote to a collection being switched out is applied again
 * by that catch-up. Every write is idempotent by version, and a membership removal
 * that reaches the new view before its add is kept (ReadModelWriter), so the order
 * in which the catch-up and the live projection apply the same events does not
 * matter. Queries see the old view until the switch and the rebuilt one after it (an
 * instant between the two renames finds the view empty).
 *
 * The run is recorded in `read_model_rebuild` and refreshed while it goes on; a
 * rebuild that finds a stale record (one killed midway) first finishes that one:
 * rebuilt views it had not switched yet are switched, the catch-up runs again from
 * its start, and what it left aside is dropped.
 */
export async function replaceReadModels(
  store: EventStore,
  db: Db,
  options: ReplaceOptions = {},
): Promise<void> {
  const clock = options.clock ?? (() => new Date());
  const report = options.onProgress ?? (() => undefined);
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const runs = db.collection<RebuildRun>(REBUILD_RUNS_COLLECTION);

  const started = clock();
  const owner = randomUUID();
  const run: RebuildRun = {
    _id: RUN_ID,
    stamp: started.getTime(),
    started_at: started.toISOString(),
    only: options.only ?? READ_MODEL_NAMES,
    phase: 'rebuild',
    heartbeat_at: started.toISOString(),
    owner,
  };
  const record = new RunRecord(runs, owner, clock);
  const interrupted = await claimRun(runs, run, clock, heartbeatMs);
  const heartbeat = setInterval(() => void record.beat(), heartbeatMs);
  heartbeat.unref();
  try {
    if (interrupted !== null) {
      await report({ phase: 'resume', run: interrupted });
      // One stopped while rebuilding had switched nothing: only its leftovers remain.
      if (interrupted.phase !== 'rebuild') {
        await switchAndCatchUp(store, db, interrupted, record, options, report);
      }
      await dropLeftovers(db, interrupted);
      // Finished: the record is this run's from here on.
      await record.replace({ ...run, heartbeat_at: clock().toISOString() });
    }
    const side = sideCollections(run);
    await new ReadModelWriter(db, side).ensureIndexes();
    try {
      await rebuildReadModels(store, db, side, (progress) =>
        report({ phase: 'rebuild', ...progress }),
      );
      // From here on a missing rebuilt collection means it was switched into place.
      for (const name of run.only) {
        // A view the history leaves empty has no collection yet; an empty one replaces the live.
        if (!(await exists(db, side[name]))) await db.createCollection(side[name]);
      }
      await record.enter('switch');
    } catch (error) {
      // Taken over while rebuilding: what it built since is its own to drop.
      if (error instanceof RebuildTakenOverError) await dropLeftovers(db, run);
      throw error;
    }
    await switchAndCatchUp(store, db, { ...run, phase: 'switch' }, record, options, report);
    await dropLeftovers(db, run);
    await runs.deleteOne({ _id: RUN_ID, owner });
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * The record of the run this process works on, each write conditional on still
 * owning it: one taken over meanwhile makes the next write throw RebuildTakenOverError.
 */
class RunRecord {
  private lost = false;

  constructor(
    private readonly runs: Collection<RebuildRun>,
    private readonly owner: string,
    private readonly clock: () => Date,
  ) {}

  /** Refreshes the heartbeat; a miss is remembered for the next check. */
  async beat(): Promise<void> {
    try {
      await this.update({});
    } catch {
      // Taken over (remembered) or the database unreachable (the next check tells).
    }
  }

  /** Records the phase about to start, or throws when the run is no longer ours. */
  async enter(phase: RebuildRun['phase']): Promise<void> {
    await this.update({ phase });
  }

  async replace(next: RebuildRun): Promise<void> {
    const { matchedCount } = await this.runs.replaceOne({ _id: RUN_ID, owner: this.owner }, next);
    if (matchedCount === 0) this.lose();
  }

  private async update(fields: Partial<RebuildRun>): Promise<void> {
    if (this.lost) this.lose();
    const { matchedCount } = await this.runs.updateOne(
      { _id: RUN_ID, owner: this.owner },
      { $set: { ...fields, heartbeat_at: this.clock().toISOString() } },
    );
    if (matchedCount === 0) this.lose();
  }

  private lose(): never {
    this.lost = true;
    throw new RebuildTakenOverError();
  }
}

/** What is under way, or null once every rebuild has finished. */
export async function currentRebuild(db: Db): Promise<RebuildRun | null> {
  return db.collection<RebuildRun>(REBUILD_RUNS_COLLECTION).findOne({ _id: RUN_ID });
}

/** Whether a recorded run stopped saying it is alive: it was killed or lost its database. */
export function isStale(run: RebuildRun, now: Date, heartbeatMs = DEFAULT_HEARTBEAT_MS): boolean {
  return now.getTime() - Date.parse(run.heartbeat_at) > 6 * heartbeatMs;
}

/**
 * Records `run` as the one under way. Resolves with an interrupted run it took over
 * (to be finished first), or null; rejects while another is alive.
 */
async function claimRun(
  runs: Collection<RebuildRun>,
  run: RebuildRun,
  clock: () => Date,
  heartbeatMs: number,
): Promise<RebuildRun | null> {
  for (;;) {
    try {
      await runs.insertOne(run);

      return null;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const previous = await runs.findOne({ _id: RUN_ID });
    if (previous === null) continue; // it finished meanwhile
    if (!isStale(previous, clock(), heartbeatMs)) throw new RebuildInProgressError(previous);
    // Conditional on the record read, so of two rebuilds taking over only one wins. The
    // record stays the stopped run's until it is finished, so that a rebuild killed
    // while finishing it leaves the next one the same work.
    const { matchedCount } = await runs.replaceOne(
      { _id: RUN_ID, owner: previous.owner, heartbeat_at: previous.heartbeat_at },
      { ...previous, owner: run.owner, heartbeat_at: clock().toISOString() },
    );
    if (matchedCount === 1) return previous;
  }
}

function sideCollections(run: RebuildRun): ReadModelCollections {
  return collectionsWithSuffix(`__rebuild_${run.stamp}`);
}

/**
 * From a complete rebuild aside onwards: switches what is not switched yet and
 * catches up with commits stored since the run began. Safe to run again on a run
 * that stopped anywhere in it.
 */
async function switchAndCatchUp(
  store: EventStore,
  db: Db,
  run: RebuildRun,
  record: RunRecord,
  options: ReplaceOptions,
  report: (progress: ReplaceProgress) => void | Promise<void>,
): Promise<void> {
  const side = sideCollections(run);
  for (const name of run.only) {
    if (!(await exists(db, side[name]))) continue;
    await record.enter('switch');
    await switchInto(db, side[name], LIVE_COLLECTIONS[name], asideSuffix(run));
    await report({ phase: 'switch', readModel: name });
  }
  await record.enter('catch-up');
  const since = new Date(run.stamp - (options.clockSkewMs ?? 60_000));
  const late = await store.readHistory(READ_MODEL_CATEGORIES, { recorded_since: since });
  const live = new ReadModelWriter(db);
  await report({ phase: 'catch-up', applied: 0, total: late.length });
  for (const [index, event] of late.entries()) {
    await live.apply(event);
    if ((index + 1) % CATCH_UP_REPORT_EVERY === 0) {
      await live.flush();
      await record.enter('catch-up');
      await report({ phase: 'catch-up', applied: index + 1, total: late.length });
    }
  }
  await live.flush();
  if (late.length % CATCH_UP_REPORT_EVERY !== 0) {
    await report({ phase: 'catch-up', applied: late.length, total: late.length });
  }
}

/** Drops what a run built aside and did not switch, and the live views it moved aside. */
async function dropLeftovers(db: Db, run: RebuildRun): Promise<void> {
  const side = sideCollections(run);
  for (const name of READ_MODEL_NAMES) {
    for (const leftover of [side[name], `${LIVE_COLLECTIONS[name]}${asideSuffix(run)}`]) {
      await db
        .collection(leftover)
        .drop()
        .catch(() => undefined);
    }
  }
}

function asideSuffix(run: RebuildRun): string {
  return `__replaced_${run.stamp}`;
}

/**
 * Moves `live` aside and `rebuilt` into its place. FerretDB cannot rename over an
 * existing collection, so it takes two renames; a live write landing in between
 * creates the collection afresh, which is dropped (the catch-up applies it again).
 * A run resumed between the two renames finds the aside copy there already.
 */
async function switchInto(db: Db, rebuilt: string, live: string, suffix: string) {
  const aside = `${live}${suffix}`;
  if (await exists(db, live)) {
    if (await exists(db, aside)) await db.collection(live).drop();
    else await db.renameCollection(live, aside);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await db.renameCollection(rebuilt, live);

      return;
    } catch (error) {
      const taken = error instanceof MongoServerError && error.code === NAMESPACE_EXISTS;
      if (!taken || attempt >= 5) throw error;
      await db.collection(live).drop();
    }
  }
}

async function exists(db: Db, name: string): Promise<boolean> {
  return (await db.listCollections({ name }, { nameOnly: true }).toArray()).length > 0;
}
