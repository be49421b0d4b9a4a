import { type EventEnvelope, type StreamCategory } from '@profile-groups/contracts';
import { type Collection, type Db } from 'mongodb';

import { duplicateIndexes } from './mongo-errors';
import {
  collectionFor,
  decodeEvents,
  encodeEvents,
  type OutboxEntry,
  type StoredCommit,
} from './stored-commit';

/** The streams that make up a group's history. */
export const GROUP_HISTORY_CATEGORIES: readonly StreamCategory[] = [
  'group-definition',
  'group-evaluation',
  'group-member',
];

export const HISTORY_RANGES_COLLECTION = 'history_ranges';

/** Most events one range holds; also the width of a bucket of positions. */
export const HISTORY_RANGE_EVENTS = 250;

/**
 * A run of consecutive events of one history (a group's), at positions
 * `[start, end)`. `_id` is `${key}#${start}` and every range starts where another
 * ended (or at 0), so the unique `_id` hands each position to one writer: the ranges
 * of a history tile it without gaps or overlaps. The events are a copy of their
 * commits', so that a page loads by one equality on `bucket` (FerretDB pushes
 * equality down to PostgreSQL but fetches every row for a range or a sort).
 */
export interface HistoryRange {
  _id: string;
  key: string;
  /**
   * What the range copies, unique: `<commit id>#<chunk>` for a commit's events (a
   * relay that indexes a commit twice, after a crash, finds it taken), or
   * `<key>#backlog#<start>` for commits stored before the index existed.
   */
  chunk_key: string;
  /** `${key}#b${floor(start / HISTORY_RANGE_EVENTS)}`. */
  bucket: string;
  start: number;
  end: number;
  events_json: string;
}

export interface HistorySlice {
  readonly events: EventEnvelope[];
  /** Events in the whole history. */
  readonly total: number;
}

const MAX_CACHED_HEADS = 10_000;
const MAX_REMEMBERED_CHUNKS = 200_000;

/** A commit's events for one history, as the relay hands them over. */
interface Chunk {
  readonly chunkKey: string;
  readonly events: readonly EventEnvelope[];
}

/**
 * The paged view of group histories. The outbox relay adds each commit's events after
 * the history's last ones when it publishes them (`indexPublished`): per stream in
 * version order, as it publishes, so a history never shows a commit before the one it
 * follows in its stream, whatever the writers' clocks said; a commit the relay indexes
 * again after a crash is found by its unique `chunk_key` and not added twice.
 */
export class HistoryIndex {
  private readonly ranges: Collection<HistoryRange>;
  /** Where each history was last seen to end; it only grows. */
  private readonly heads = new Map<string, number>();
  /** Chunks this process indexed lately, so that a pass retried does not add them again. */
  private readonly indexed = new Set<string>();

  constructor(private readonly db: Db) {
    this.ranges = db.collection<HistoryRange>(HISTORY_RANGES_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.ranges.createIndex({ bucket: 1 });
    await this.ranges.createIndex({ chunk_key: 1 }, { unique: true });
  }

  /**
   * Adds the group-history events of published outbox entries to their groups'
   * histories. The relay calls it for entries it has published, before deleting them.
   */
  async indexPublished(entries: readonly OutboxEntry[]): Promise<void> {
    const byGroup = new Map<number, Chunk[]>();
    // Interleaved as their writers announced them; each stream stays in version order.
    for (const entry of inStreamSafeTimeOrder(entries, (e) => e.created_at)) {
      if (!GROUP_HISTORY_CATEGORIES.includes(entry.category)) continue;
      const events = decodeEvents(entry);
      const group = (events[0]?.data as { group_definition_id?: unknown } | undefined)
        ?.group_definition_id;
      if (typeof group !== 'number') continue;
      const chunks = byGroup.get(group) ?? [];
      for (let i = 0; i * HISTORY_RANGE_EVENTS < events.length; i++) {
        chunks.push({
          chunkKey: `${entry._id}#${i}`,
          events: events.slice(i * HISTORY_RANGE_EVENTS, (i + 1) * HISTORY_RANGE_EVENTS),
        });
      }
      byGroup.set(group, chunks);
    }
    for (const [group, chunks] of byGroup) await this.extend(group, chunks);
  }

  /**
   * Makes sure the group's history holds what was stored before the index existed
   * (a reader calls it before a page), then adds `chunks` after its last events. A
   * history with no range yet first takes that backlog if it wins position 0 with it;
   * a writer that loses it leaves the backlog to the winner.
   */
  async extend(groupDefinitionId: number, chunks: readonly Chunk[] = []): Promise<void> {
    const key = groupHistoryKey(groupDefinitionId);
    const cached = this.heads.get(key);
    let head = cached ?? (await this.findHead(key));
    // Chunks this process indexed in a pass whose trim failed come again; so do, after a
    // restart, those of the pass a crash interrupted (found at the history's end).
    let fresh = chunks.filter((chunk) => !this.indexed.has(chunk.chunkKey));
    if (cached === undefined && head > 0 && fresh.length > 0) {
      const there = await this.indexedAtEnd(key, head, fresh);
      fresh = fresh.filter((chunk) => !there.has(chunk.chunkKey));
    }
    if (head === 0) {
      const backlog = await this.unindexedCommits(groupDefinitionId);
      const first = backlog.slice(0, HISTORY_RANGE_EVENTS);
      if (first.length > 0) {
        head = (await this.insertAt(key, 0, { chunkKey: `${key}#backlog#0`, events: first }))
          ? await this.appendChunks(key, first.length, backlogChunks(key, first.length, backlog))
          : await this.endFrom(key, 0);
      }
    }
    await this.appendChunks(key, head, fresh);
  }

  /**
   * Which of `chunks` the history already ends with. The relay is its only writer, so
   * what a pass indexed lies together at the end: buckets are read backwards from the
   * last until one holds none of them.
   */
  private async indexedAtEnd(
    key: string,
    head: number,
    chunks: readonly Chunk[],
  ): Promise<Set<string>> {
    const ours = new Set(chunks.map((chunk) => chunk.chunkKey));
    const found = new Set<string>();
    for (let bucket = bucketOf(head - 1); bucket >= 0; bucket--) {
      const ranges = await this.ranges
        .find({ bucket: bucketKey(key, bucket) }, { projection: { chunk_key: 1 } })
        .toArray();
      const hits = ranges.filter((range) => ours.has(range.chunk_key));
      if (hits.length === 0) break;
      hits.forEach((range) => found.add(range.chunk_key));
    }

    return found;
  }

  /** Events at positions `[offset, offset + limit)` and the history's length. */
  async slice(key: string, offset: number, limit: number): Promise<HistorySlice> {
    const total = await this.findHead(key);
    const end = Math.min(total, offset + limit);
    if (offset >= end) return { events: [], total };

    // A range starts at most one bucket before the first position it holds.
    const first = Math.max(0, bucketOf(offset) - 1);
    const loaded: HistoryRange[] = [];
    for (let bucket = first; bucket <= bucketOf(end - 1); bucket++) {
      loaded.push(...(await this.ranges.find({ bucket: bucketKey(key, bucket) }).toArray()));
    }
    const events = loaded
      .sort((a, b) => a.start - b.start)
      .flatMap((range) =>
        decodeEvents(range)
          .map((event, i) => ({ event, at: range.start + i }))
          .filter(({ at }) => at >= offset && at < end)
          .map(({ event }) => event),
      );

    return { events, total };
  }

  /**
   * Inserts the chunks at consecutive positions from `from`, in one request while
   * nobody else writes the history; a position taken meanwhile moves the rest after
   * whatever is there, and a chunk indexed already is skipped.
   */
  private async appendChunks(key: string, from: number, chunks: readonly Chunk[]) {
    let head = from;
    let pending = chunks;
    while (pending.length > 0) {
      const docs: HistoryRange[] = [];
      let at = head;
      for (const chunk of pending) {
        docs.push(rangeAt(key, at, chunk));
        at += chunk.events.length;
      }
      try {
        await this.ranges.insertMany(docs, { ordered: true });
        head = at;
        pending.forEach((chunk) => this.noteIndexed(chunk.chunkKey));
        break;
      } catch (error) {
        const refused = Math.min(...duplicateIndexes(error));
        // FerretDB goes on past a refused document to the end of its internal batch of
        // inserts (MongoDB stops): those are taken back, so the history stays dense and
        // in order.
        await this.takeBack(docs.slice(refused + 1));
        pending.slice(0, refused).forEach((chunk) => this.noteIndexed(chunk.chunkKey));
        const taken = await this.ranges.findOne(
          { chunk_key: pending[refused]!.chunkKey },
          { projection: { _id: 1 } },
        );
        head = await this.endFrom(key, docs[refused]!.start);
        pending = pending.slice(taken === null ? refused : refused + 1);
      }
    }
    this.remember(key, head);

    return head;
  }

  /** Deletes the ones of `docs` that were stored (by position and content, not another's). */
  private async takeBack(docs: readonly HistoryRange[]): Promise<void> {
    if (docs.length === 0) return;
    await this.ranges.deleteMany({
      $or: docs.map((doc) => ({ _id: doc._id, chunk_key: doc.chunk_key })),
    });
  }

  private noteIndexed(chunkKey: string): void {
    this.indexed.add(chunkKey);
    if (this.indexed.size > MAX_REMEMBERED_CHUNKS) {
      const oldest = this.indexed.values().next().value;
      if (oldest !== undefined) this.indexed.delete(oldest);
    }
  }

  /** False when another range already starts there. */
  private async insertAt(key: string, start: number, chunk: Chunk): Promise<boolean> {
    try {
      await this.ranges.insertOne(rangeAt(key, start, chunk));
      this.remember(key, start + chunk.events.length);

      return true;
    } catch (error) {
      duplicateIndexes(error);

      return false;
    }
  }

  /** A group's commits stored before the relay indexed history, in recorded order. */
  private async unindexedCommits(groupDefinitionId: number): Promise<EventEnvelope[]> {
    const commits: StoredCommit[] = [];
    for (const category of GROUP_HISTORY_CATEGORIES) {
      const found = await this.db
        .collection<StoredCommit>(collectionFor(category))
        .find({ group_definition_id: groupDefinitionId })
        .toArray();
      commits.push(...found.filter((commit) => commit.history_indexed !== true));
    }

    return inRecordedOrder(commits).flatMap((commit) => decodeEvents(commit));
  }

  /** The history's end, from the last one seen (or 0). */
  private async findHead(key: string): Promise<number> {
    const head = await this.endFrom(key, this.heads.get(key) ?? 0);
    this.remember(key, head);

    return head;
  }

  /**
   * TODO: assumes the relay is the index's only writer (and readers only at position 0
   * for old commits): two relays indexing at once can leave a hole where one took back
   * what FerretDB stored past a refusal while the other read the end, and the end then
   * counts it (`npm run verify` reports `not_dense`).
   *
   * Where the history ends, at or after position `from`: the last bucket in use is
   * found by doubling, then halving, from `from`'s bucket (buckets fill in order: a
   * range holds at most a bucket's width, so none is skipped), and the end is the
   * largest among its ranges. A few equality queries however far the history grew
   * since `from`; following the ranges one by one would take one query per commit
   * (a bulk add of 10,000 members: minutes on FerretDB).
   */
  private async endFrom(key: string, from: number): Promise<number> {
    let used = bucketOf(from);
    let step = 1;
    while (await this.bucketInUse(key, used + step)) {
      used += step;
      step *= 2;
    }
    let unused = used + step;
    while (unused - used > 1) {
      const middle = Math.floor((used + unused) / 2);
      if (await this.bucketInUse(key, middle)) used = middle;
      else unused = middle;
    }
    const last = await this.ranges
      .find({ bucket: bucketKey(key, used) }, { projection: { end: 1 } })
      .toArray();

    return Math.max(from, ...last.map((range) => range.end));
  }

  private async bucketInUse(key: string, bucket: number): Promise<boolean> {
    const found = await this.ranges.findOne(
      { bucket: bucketKey(key, bucket) },
      { projection: { _id: 1 } },
    );

    return found !== null;
  }

  private remember(key: string, head: number): void {
    if (head <= (this.heads.get(key) ?? -1)) return;
    this.heads.delete(key);
    this.heads.set(key, head);
    if (this.heads.size > MAX_CACHED_HEADS) {
      const oldest = this.heads.keys().next().value;
      if (oldest !== undefined) this.heads.delete(oldest);
    }
  }
}

export function groupHistoryKey(groupDefinitionId: number): string {
  return `group:${groupDefinitionId}`;
}

/**
 * Commits in the order they were recorded: by time, where a commit never sorts
 * before the one it follows in its own stream (writers' clocks may disagree), then
 * by stream and version for commits of the same millisecond.
 */
export function inRecordedOrder(commits: readonly StoredCommit[]): StoredCommit[] {
  return inStreamSafeTimeOrder(commits, (commit) => commit.recorded_at);
}

function inStreamSafeTimeOrder<T extends { stream: string; version_from: number }>(
  items: readonly T[],
  timeOf: (item: T) => Date,
): T[] {
  const at = new Map<T, number>();
  const lastOf = new Map<string, number>();
  for (const item of [...items].sort((a, b) => a.version_from - b.version_from)) {
    const time = Math.max(timeOf(item).getTime(), lastOf.get(item.stream) ?? 0);
    at.set(item, time);
    lastOf.set(item.stream, time);
  }

  return [...items].sort(
    (a, b) =>
      at.get(a)! - at.get(b)! ||
      (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0) ||
      a.version_from - b.version_from,
  );
}

function rangeAt(key: string, start: number, chunk: Chunk): HistoryRange {
  return {
    _id: rangeId(key, start),
    key,
    chunk_key: chunk.chunkKey,
    bucket: bucketKey(key, bucketOf(start)),
    start,
    end: start + chunk.events.length,
    events_json: encodeEvents(chunk.events),
  };
}

/** The backlog after its first range, in ranges of at most HISTORY_RANGE_EVENTS. */
function backlogChunks(key: string, from: number, backlog: readonly EventEnvelope[]): Chunk[] {
  const chunks: Chunk[] = [];
  for (let at = from; at < backlog.length; at += HISTORY_RANGE_EVENTS) {
    chunks.push({
      chunkKey: `${key}#backlog#${at}`,
      events: backlog.slice(at, at + HISTORY_RANGE_EVENTS),
    });
  }

  return chunks;
}

function bucketOf(position: number): number {
  return Math.floor(position / HISTORY_RANGE_EVENTS);
}

function bucketKey(key: string, bucket: number): string {
  return `${key}#b${bucket}`;
}

function rangeId(key: string, start: number): string {
  return `${key}#${start}`;
}

/** Where a group's paged history disagrees with the commits it copies. */
export interface HistoryIndexProblem {
  readonly group_definition_id: number;
  readonly problem: 'missing' | 'unexpected' | 'duplicated' | 'out_of_stream_order' | 'not_dense';
  /** An event id, or a position for `not_dense`. */
  readonly at: string;
}

/**
 * Checks every group's paged history against the event store, for `npm run verify`:
 * each published group event is there exactly once, each stream in version order, at
 * dense positions. Call it while the outbox is empty (everything relayed). Reads both
 * collections whole. A group whose history holds nothing yet and whose commits all
 * predate the index is left out: its first read takes them in.
 */
export async function checkHistoryIndex(db: Db): Promise<HistoryIndexProblem[]> {
  const expected = new Map<number, Set<string>>();
  const legacyOnly = new Map<number, boolean>();
  for (const category of GROUP_HISTORY_CATEGORIES) {
    const commits = db.collection<StoredCommit>(collectionFor(category)).find({});
    for await (const commit of commits) {
      const group = commit.group_definition_id;
      if (group === null) continue;
      const ids = expected.get(group) ?? new Set<string>();
      decodeEvents(commit).forEach((event) => ids.add(event.id));
      expected.set(group, ids);
      legacyOnly.set(group, (legacyOnly.get(group) ?? true) && commit.history_indexed !== true);
    }
  }
  const ranges = new Map<number, HistoryRange[]>();
  for await (const range of db.collection<HistoryRange>(HISTORY_RANGES_COLLECTION).find({})) {
    const group = Number(range.key.slice('group:'.length));
    ranges.set(group, [...(ranges.get(group) ?? []), range]);
  }

  const problems: HistoryIndexProblem[] = [];
  for (const [group, ids] of expected) {
    const held = (ranges.get(group) ?? []).sort((a, b) => a.start - b.start);
    if (held.length === 0 && legacyOnly.get(group) === true) continue;
    const add = (problem: HistoryIndexProblem['problem'], at: string) =>
      problems.push({ group_definition_id: group, problem, at });
    let position = 0;
    const seen = new Set<string>();
    const lastVersion = new Map<string, number>();
    for (const range of held) {
      if (range.start !== position) add('not_dense', String(position));
      position = range.end;
      for (const event of decodeEvents(range)) {
        if (seen.has(event.id)) {
          add('duplicated', event.id);
          continue;
        }
        if (!ids.has(event.id)) add('unexpected', event.id);
        seen.add(event.id);
        if ((lastVersion.get(event.stream) ?? 0) >= event.stream_version) {
          add('out_of_stream_order', event.id);
        }
        lastVersion.set(event.stream, event.stream_version);
      }
    }
    for (const id of ids) if (!seen.has(id)) add('missing', id);
  }

  return problems;
}
