import { type EventEnvelope } from '@profile-groups/contracts';
import { type Collection, type Db } from 'mongodb';

import { isDuplicateKey } from './mongo-errors';
import { decodeEvents, encodeEvents, type StoredCommit } from './stored-commit';

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

/**
 * The paged view of histories: each append adds its events after the last ones
 * indexed, so a history's order is the order its commits were indexed in, whatever
 * the writers' clocks said.
 */
export class HistoryIndex {
  private readonly ranges: Collection<HistoryRange>;
  /** Where each history was last seen to end; it only grows. */
  private readonly heads = new Map<string, number>();

  constructor(db: Db) {
    this.ranges = db.collection<HistoryRange>(HISTORY_RANGES_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.ranges.createIndex({ bucket: 1 });
  }

  /**
   * Adds the events after the history's last ones, in the order given. A history
   * with no range yet first takes `earlier()` (events stored before the index
   * existed) if it wins position 0 with them; a writer that loses it leaves them to
   * the winner.
   */
  async extend(
    key: string,
    events: readonly EventEnvelope[],
    earlier: () => Promise<EventEnvelope[]>,
  ): Promise<void> {
    let head = this.heads.get(key) ?? (await this.findHead(key));
    if (head === 0) {
      const backlog = await earlier();
      const first = backlog.slice(0, HISTORY_RANGE_EVENTS);
      if (first.length > 0) {
        head = (await this.insert(key, 0, first))
          ? await this.append(key, first.length, backlog.slice(first.length))
          : await this.walk(key, 0);
      }
    }
    await this.append(key, head, events);
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

  private async append(key: string, from: number, events: readonly EventEnvelope[]) {
    let head = from;
    for (let i = 0; i < events.length; i += HISTORY_RANGE_EVENTS) {
      head = await this.claim(key, head, events.slice(i, i + HISTORY_RANGE_EVENTS));
    }

    return head;
  }

  /** Inserts the range at `from`, or after whatever ranges others put there first. */
  private async claim(key: string, from: number, events: EventEnvelope[]): Promise<number> {
    let start = from;
    while (!(await this.insert(key, start, events))) start = await this.walk(key, start);

    return start + events.length;
  }

  /** False when another range already starts there. */
  private async insert(key: string, start: number, events: EventEnvelope[]): Promise<boolean> {
    const end = start + events.length;
    try {
      await this.ranges.insertOne({
        _id: rangeId(key, start),
        key,
        bucket: bucketKey(key, bucketOf(start)),
        start,
        end,
        events_json: encodeEvents(events),
      });
      this.remember(key, end);

      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;

      return false;
    }
  }

  /** The history's end: from the last one seen, or found by buckets when unknown. */
  private async findHead(key: string): Promise<number> {
    const head = await this.walk(key, this.heads.get(key) ?? (await this.lastBucketEnd(key)));
    this.remember(key, head);

    return head;
  }

  /** Follows ranges from `start` until no range starts where the last one ended. */
  private async walk(key: string, start: number): Promise<number> {
    let head = start;
    for (;;) {
      const range = await this.ranges.findOne(
        { _id: rangeId(key, head) },
        { projection: { end: 1 } },
      );
      if (range === null) return head;
      head = range.end;
    }
  }

  /**
   * The largest end among the ranges of the last bucket in use. Buckets fill in
   * order (no range skips one), so the last is found by doubling, then halving.
   */
  private async lastBucketEnd(key: string): Promise<number> {
    if (!(await this.bucketInUse(key, 0))) return 0;
    let used = 0;
    let unused = 1;
    while (await this.bucketInUse(key, unused)) {
      used = unused;
      unused *= 2;
    }
    while (unused - used > 1) {
      const middle = Math.floor((used + unused) / 2);
      if (await this.bucketInUse(key, middle)) used = middle;
      else unused = middle;
    }
    const last = await this.ranges
      .find({ bucket: bucketKey(key, used) }, { projection: { end: 1 } })
      .toArray();

    return Math.max(...last.map((range) => range.end));
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
  const at = new Map<StoredCommit, number>();
  const lastOf = new Map<string, number>();
  for (const commit of [...commits].sort((a, b) => a.version_from - b.version_from)) {
    const time = Math.max(commit.recorded_at.getTime(), lastOf.get(commit.stream) ?? 0);
    at.set(commit, time);
    lastOf.set(commit.stream, time);
  }

  return [...commits].sort(
    (a, b) =>
      at.get(a)! - at.get(b)! ||
      (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0) ||
      a.version_from - b.version_from,
  );
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
