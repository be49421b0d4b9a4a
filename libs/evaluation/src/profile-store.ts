import { type JsonObject } from '@profile-groups/contracts';
import { type Collection, type Db } from 'mongodb';

/** Where an input event sat on its topic; a profile's events share one partition. */
export interface InputPosition {
  readonly partition: number;
  readonly offset: bigint;
}

/** A profile as rules see it, with the version evaluations record (guarantee 7). */
export interface ProfileRecord {
  readonly profile_id: string;
  /** 1 for the first upsert; every applied change adds one, a deletion too. */
  readonly version: number;
  readonly attributes: JsonObject;
  readonly updated_at: string;
}

/** One version of one profile. Versions are inserted, never updated. */
interface StoredVersion {
  /** `${profile_id}@${version}`. */
  _id: string;
  profile_id: string;
  version: number;
  /** Free-form JSON, which FerretDB cannot always store as a document. */
  attributes_json: string;
  updated_at: string;
  deleted: boolean;
  partition: number;
  /** Decimal string: Kafka offsets are 64-bit. */
  offset: string;
}

interface Head {
  version: number;
  deleted: boolean;
  partition: number;
  offset: bigint;
}

export type ProfileChange =
  | { readonly kind: 'upsert'; readonly attributes: JsonObject; readonly at: string }
  | { readonly kind: 'delete'; readonly at: string };

export const PROFILES_COLLECTION = 'evaluation_profiles';

/**
 * The evaluation worker's own copy of the profile data rules run against.
 *
 * Each change inserts a new version document and then deletes the version it
 * supersedes. On FerretDB every keyed update or lookup scans the whole collection
 * (only inserts and full scans are cheap), so the writer keeps the head version of
 * every profile in memory (`open` loads it) and never updates in place. A crash
 * between the insert and the delete leaves an old version behind, which readers skip
 * and the next `open` removes.
 *
 * Changes apply in topic order: one at or before the stored position is a redelivery
 * and is ignored. A deletion is a tombstone version, so a late redelivery of an
 * earlier upsert cannot bring the profile back.
 */
export class ProfileStore {
  private readonly versions: Collection<StoredVersion>;
  private heads: Map<string, Head> | null = null;
  private readonly superseded: string[] = [];

  constructor(db: Db) {
    this.versions = db.collection<StoredVersion>(PROFILES_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.versions.createIndex({ profile_id: 1 });
  }

  /** Loads the head of every profile (writers only) and drops superseded versions. */
  async open(): Promise<void> {
    const heads = new Map<string, Head>();
    const superseded: string[] = [];
    const cursor = this.versions.find(
      {},
      { projection: { attributes_json: 0 } },
    ) as unknown as AsyncIterable<Omit<StoredVersion, 'attributes_json'>>;
    for await (const doc of cursor) {
      const known = heads.get(doc.profile_id);
      if (known !== undefined && known.version >= doc.version) {
        superseded.push(doc._id);
        continue;
      }
      if (known !== undefined) superseded.push(versionId(doc.profile_id, known.version));
      heads.set(doc.profile_id, {
        version: doc.version,
        deleted: doc.deleted,
        partition: doc.partition,
        offset: BigInt(doc.offset),
      });
    }
    for (const id of superseded) await this.versions.deleteOne({ _id: id });
    this.heads = heads;
  }

  /** The profile's current version, read from the store (any process may call it). */
  async get(profileId: string): Promise<ProfileRecord | null> {
    const found = await this.versions.find({ profile_id: profileId }).toArray();
    const head = found.reduce<StoredVersion | null>(
      (best, doc) => (best === null || doc.version > best.version ? doc : best),
      null,
    );

    return head === null || head.deleted ? null : toRecord(head);
  }

  /** Whether the profile's last change this writer knows of (after `open`) deleted it. */
  isDeleted(profileId: string): boolean {
    return this.requireHeads().get(profileId)?.deleted === true;
  }

  /** The head version this writer knows of (after `open`), or 0. */
  versionOf(profileId: string): number {
    return this.requireHeads().get(profileId)?.version ?? 0;
  }

  /**
   * Applies one change; returns the profile as it now is (null when deleted), or
   * undefined when the change was already applied.
   */
  async apply(
    profileId: string,
    change: ProfileChange,
    position: InputPosition,
  ): Promise<ProfileRecord | null | undefined> {
    const heads = this.requireHeads();
    const head = heads.get(profileId);
    if (head !== undefined && !isAfter(position, head)) return undefined;
    const next: StoredVersion = {
      _id: versionId(profileId, (head?.version ?? 0) + 1),
      profile_id: profileId,
      version: (head?.version ?? 0) + 1,
      attributes_json: change.kind === 'upsert' ? JSON.stringify(change.attributes) : '{}',
      updated_at: change.at,
      deleted: change.kind === 'delete',
      partition: position.partition,
      offset: position.offset.toString(),
    };
    await this.versions.insertOne(next).catch((error: unknown) => {
      // A previous attempt stored it and died before recording the head.
      if ((error as { code?: number }).code !== 11000) throw error;
    });
    heads.set(profileId, {
      version: next.version,
      deleted: next.deleted,
      partition: position.partition,
      offset: position.offset,
    });
    if (head !== undefined) this.superseded.push(versionId(profileId, head.version));

    return next.deleted ? null : toRecord(next);
  }

  /**
   * Deletes the versions that changes since the last sweep superseded. Kept apart from
   * `apply` so that evaluating a change never waits for it.
   * TODO: on MongoDB each delete is an index lookup; on FerretDB it scans the
   * collection (~40 ms per 100,000 profiles), which caps sustained profile updates.
   */
  async sweep(): Promise<void> {
    while (this.superseded.length > 0) {
      const id = this.superseded[0]!;
      await this.versions.deleteOne({ _id: id });
      this.superseded.shift();
    }
  }

  /**
   * Bulk first load (an initial sync or a benchmark): profiles this writer does not
   * hold yet, inserted a thousand at a time. Known profiles are left alone.
   */
  async load(
    profiles: readonly { profile_id: string; attributes: JsonObject }[],
    at: string,
  ): Promise<number> {
    const heads = this.requireHeads();
    const fresh = profiles.filter((profile) => !heads.has(profile.profile_id));
    for (let i = 0; i < fresh.length; i += 1000) {
      const docs = fresh.slice(i, i + 1000).map(
        (profile): StoredVersion => ({
          _id: versionId(profile.profile_id, 1),
          profile_id: profile.profile_id,
          version: 1,
          attributes_json: JSON.stringify(profile.attributes),
          updated_at: at,
          deleted: false,
          partition: -1,
          offset: '-1',
        }),
      );
      await this.versions.insertMany(docs, { ordered: false });
      for (const doc of docs) {
        heads.set(doc.profile_id, { version: 1, deleted: false, partition: -1, offset: -1n });
      }
    }

    return fresh.length;
  }

  /**
   * Every live profile, a batch at a time, so a full refresh runs in bounded memory.
   * A writer skips versions it knows to be superseded; other readers may see a
   * profile's previous version in the instant between a change's two writes.
   */
  async *scan(batchSize = 1000): AsyncGenerator<ProfileRecord[]> {
    const cursor = this.versions.find({ deleted: false }).batchSize(batchSize);
    let batch: ProfileRecord[] = [];
    try {
      for await (const stored of cursor) {
        const head = this.heads?.get(stored.profile_id);
        if (head !== undefined && head.version !== stored.version) continue;
        batch.push(toRecord(stored));
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      await cursor.close();
    }
  }

  async count(): Promise<number> {
    return this.heads === null
      ? this.versions.countDocuments({ deleted: false })
      : [...this.heads.values()].filter((head) => !head.deleted).length;
  }

  private requireHeads(): Map<string, Head> {
    if (this.heads === null) throw new Error('ProfileStore.open() must run before writes');

    return this.heads;
  }
}

function versionId(profileId: string, version: number): string {
  return `${profileId}@${version}`;
}

function isAfter(position: InputPosition, head: Head): boolean {
  // A different partition means the topic was repartitioned: take the newer change.
  return position.partition !== head.partition || position.offset > head.offset;
}

function toRecord(stored: StoredVersion): ProfileRecord {
  return {
    profile_id: stored.profile_id,
    version: stored.version,
    attributes: JSON.parse(stored.attributes_json) as JsonObject,
    updated_at: stored.updated_at,
  };
}
