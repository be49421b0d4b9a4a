import { type Collection, type Db } from 'mongodb';

/** One profile's result in an evaluation run. */
export interface ProfileResult {
  readonly profile_id: string;
  readonly profile_version: number;
  readonly included: boolean;
  /** Active rules (inclusion and exclusion) the profile satisfied. */
  readonly matched_rule_ids: number[];
  /** Whether the run moved the profile in or out of the group. */
  readonly changed: boolean;
}

export interface ResultFilter {
  readonly included?: boolean;
  readonly changed?: boolean;
}

interface ResultChunk {
  _id: string;
  snapshot_id: string;
  group_definition_id: number;
  chunk: number;
  results: ProfileResult[];
}

export const SNAPSHOT_RESULTS_COLLECTION = 'snapshot_results';
const CHUNK_SIZE = 1000;

/**
 * Per-profile results of every evaluation run, written by the worker before it
 * records the run's SnapshotTaken event and never changed afterwards. Results are
 * stored a thousand to a document: a 100,000-profile run is 100 inserts, not 100,000.
 * Not a read model: nothing rebuilds it, as the profile data it came from moves on.
 */
export class SnapshotArchive {
  private readonly chunks: Collection<ResultChunk>;

  constructor(db: Db) {
    this.chunks = db.collection<ResultChunk>(SNAPSHOT_RESULTS_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.chunks.createIndex({ snapshot_id: 1 });
  }

  /** Idempotent: a retried run writes the same chunk ids and keeps the first copy. */
  async write(
    snapshotId: string,
    groupDefinitionId: number,
    results: readonly ProfileResult[],
    firstChunk = 0,
  ): Promise<number> {
    const docs: ResultChunk[] = [];
    for (let i = 0; i < results.length; i += CHUNK_SIZE) {
      const chunk = firstChunk + i / CHUNK_SIZE;
      docs.push({
        _id: `${snapshotId}:${chunk}`,
        snapshot_id: snapshotId,
        group_definition_id: groupDefinitionId,
        chunk,
        results: results.slice(i, i + CHUNK_SIZE),
      });
    }
    if (docs.length > 0) {
      await this.chunks.insertMany(docs, { ordered: false }).catch((error: unknown) => {
        const writeErrors = (error as { writeErrors?: { code?: number }[] }).writeErrors;
        if (!writeErrors?.every((e) => e.code === 11000)) throw error;
      });
    }

    return firstChunk + docs.length;
  }

  /** The results matching the filter, in the order the run produced them. */
  async results(snapshotId: string, filter: ResultFilter = {}): Promise<ProfileResult[]> {
    const chunks = await this.chunks.find({ snapshot_id: snapshotId }).toArray();

    return chunks
      .sort((a, b) => a.chunk - b.chunk)
      .flatMap((chunk) => chunk.results)
      .filter(
        (result) =>
          (filter.included === undefined || result.included === filter.included) &&
          (filter.changed === undefined || result.changed === filter.changed),
      );
  }

  async resultFor(snapshotId: string, profileId: string): Promise<ProfileResult | null> {
    const cursor = this.chunks.find({ snapshot_id: snapshotId });
    for await (const chunk of cursor) {
      const found = chunk.results.find((result) => result.profile_id === profileId);
      if (found !== undefined) {
        await cursor.close();

        return found;
      }
    }

    return null;
  }
}
