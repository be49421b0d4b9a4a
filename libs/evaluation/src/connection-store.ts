import { type ConnectionStatus } from '@profile-groups/contracts';
import { type Collection, type Db } from 'mongodb';

import { type InputPosition } from './profile-store';

/** A connection as it stands: from `profile_id` to `connected_profile_id`. */
export interface ConnectionRecord {
  readonly profile_id: string;
  readonly connected_profile_id: string;
  readonly type: string;
  readonly status: ConnectionStatus;
  /** 1 for the pair's first change; every applied change adds one, a removal too. */
  readonly version: number;
  readonly updated_at: string;
}

export type ConnectionChange =
  | {
      readonly kind: 'upsert';
      readonly type: string;
      readonly status: ConnectionStatus;
      readonly at: string;
    }
  | { readonly kind: 'remove'; readonly at: string };

/** A pair's last change: the connection it left (null after a removal) and when it was made. */
export interface LastChange {
  readonly connection: ConnectionRecord | null;
  readonly at: string;
}

/** What an applied change replaced, and what it left; null where there is no connection. */
export interface AppliedConnectionChange {
  readonly previous: ConnectionRecord | null;
  readonly current: ConnectionRecord | null;
}

/** One version of one pair. Versions are inserted, never updated. */
interface StoredVersion {
  /** JSON `[profile_id, connected_profile_id, version]`: profile ids may hold any text. */
  _id: string;
  profile_id: string;
  connected_profile_id: string;
  version: number;
  /** Null on a removal, which is a tombstone version. */
  type: string | null;
  status: ConnectionStatus | null;
  removed: boolean;
  updated_at: string;
  partition: number;
  /** Decimal string: Kafka offsets are 64-bit. */
  offset: string;
}

interface Head {
  readonly record: ConnectionRecord | null;
  readonly version: number;
  readonly partition: number;
  readonly offset: bigint;
}

export const CONNECTIONS_COLLECTION = 'evaluation_connections';

/**
 * The evaluation worker's copy of every profile's connections, built like the profile
 * store and for the same reason: on FerretDB every keyed update or lookup scans the
 * collection, so each change inserts a version document, the writer keeps every
 * pair's head in memory (`open` loads them), and the versions a change supersedes are
 * deleted off the hot path (`sweep`). Changes apply per pair in topic order: one at or
 * before the pair's stored position is a redelivery and is ignored. A removal is a
 * tombstone, so a late redelivery of an earlier upsert cannot bring a connection back.
 */
export class ConnectionStore {
  private readonly versions: Collection<StoredVersion>;
  /** By owner, then by connected profile. */
  private heads: Map<string, Map<string, Head>> | null = null;
  private readonly superseded: string[] = [];

  constructor(db: Db) {
    this.versions = db.collection<StoredVersion>(CONNECTIONS_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.versions.createIndex({ profile_id: 1 });
  }

  /** Loads the head of every pair (writers only) and drops superseded versions. */
  async open(): Promise<void> {
    const heads = new Map<string, Map<string, Head>>();
    const superseded: string[] = [];
    for await (const doc of this.versions.find({})) {
      const pairs = heads.get(doc.profile_id) ?? new Map<string, Head>();
      heads.set(doc.profile_id, pairs);
      const known = pairs.get(doc.connected_profile_id);
      if (known !== undefined && known.version >= doc.version) {
        superseded.push(doc._id);
        continue;
      }
      if (known !== undefined) {
        superseded.push(versionId(doc.profile_id, doc.connected_profile_id, known.version));
      }
      pairs.set(doc.connected_profile_id, headOf(doc));
    }
    for (const id of superseded) await this.versions.deleteOne({ _id: id });
    this.heads = heads;
  }

  /**
   * Applies one change; resolves with the connection before and after it, or with
   * undefined when the change was already applied.
   */
  async apply(
    profileId: string,
    connectedProfileId: string,
    change: ConnectionChange,
    position: InputPosition,
  ): Promise<AppliedConnectionChange | undefined> {
    const pairs = this.pairsOf(profileId);
    const head = pairs.get(connectedProfileId);
    if (head !== undefined && !isAfter(position, head)) return undefined;
    const version = (head?.version ?? 0) + 1;
    const next: StoredVersion = {
      _id: versionId(profileId, connectedProfileId, version),
      profile_id: profileId,
      connected_profile_id: connectedProfileId,
      version,
      type: change.kind === 'upsert' ? change.type : null,
      status: change.kind === 'upsert' ? change.status : null,
      removed: change.kind === 'remove',
      updated_at: change.at,
      partition: position.partition,
      offset: position.offset.toString(),
    };
    await this.versions.insertOne(next).catch((error: unknown) => {
      // A previous attempt stored it and died before recording the head.
      if ((error as { code?: number }).code !== 11000) throw error;
    });
    const applied = headOf(next);
    pairs.set(connectedProfileId, applied);
    if (head !== undefined) {
      this.superseded.push(versionId(profileId, connectedProfileId, head.version));
    }

    return { previous: head?.record ?? null, current: applied.record };
  }

  /** The pair's connection as this writer holds it (after `open`); null when there is none. */
  current(profileId: string, connectedProfileId: string): ConnectionRecord | null {
    return this.pairsOf(profileId).get(connectedProfileId)?.record ?? null;
  }

  /**
   * The profile's connections, of any type and status, read from the store: any
   * process may call it, and it sees what every writer has stored.
   */
  async connectionsOf(profileId: string): Promise<ConnectionRecord[]> {
    const found = await this.versions.find({ profile_id: profileId }).toArray();

    return [...headsOf(found).values()].flatMap((head) => head.record ?? []);
  }

  /** One connection, read from the store; null when there is none. */
  async find(profileId: string, connectedProfileId: string): Promise<ConnectionRecord | null> {
    const found = await this.versions
      .find({ profile_id: profileId, connected_profile_id: connectedProfileId })
      .toArray();

    return headsOf(found).get(connectedProfileId)?.record ?? null;
  }

  /**
   * The pair's last change the store holds, a removal too, with the time its producer
   * gave it; null when the store never saw the pair. Read from the store.
   */
  async lastChange(profileId: string, connectedProfileId: string): Promise<LastChange | null> {
    const found = await this.versions
      .find({ profile_id: profileId, connected_profile_id: connectedProfileId })
      .toArray();
    const last = found.reduce<StoredVersion | null>(
      (best, doc) => (best === null || doc.version > best.version ? doc : best),
      null,
    );

    return last === null ? null : { connection: headOf(last).record, at: last.updated_at };
  }

  /**
   * Deletes the versions that changes since the last sweep superseded, off the path
   * that applies changes.
   * TODO: on FerretDB each delete scans the collection, as ProfileStore.sweep does.
   */
  async sweep(): Promise<void> {
    while (this.superseded.length > 0) {
      const id = this.superseded[0]!;
      await this.versions.deleteOne({ _id: id });
      this.superseded.shift();
    }
  }

  private pairsOf(profileId: string): Map<string, Head> {
    if (this.heads === null) throw new Error('ConnectionStore.open() must run before writes');
    let pairs = this.heads.get(profileId);
    if (pairs === undefined) {
      pairs = new Map();
      this.heads.set(profileId, pairs);
    }

    return pairs;
  }
}

function versionId(profileId: string, connectedProfileId: string, version: number): string {
  return JSON.stringify([profileId, connectedProfileId, version]);
}

function headOf(doc: StoredVersion): Head {
  const record: ConnectionRecord | null =
    doc.removed || doc.type === null || doc.status === null
      ? null
      : {
          profile_id: doc.profile_id,
          connected_profile_id: doc.connected_profile_id,
          type: doc.type,
          status: doc.status,
          version: doc.version,
          updated_at: doc.updated_at,
        };

  return { record, version: doc.version, partition: doc.partition, offset: BigInt(doc.offset) };
}

/** The newest version of each connected profile among the given documents. */
function headsOf(docs: readonly StoredVersion[]): Map<string, Head> {
  const heads = new Map<string, Head>();
  for (const doc of docs) {
    const known = heads.get(doc.connected_profile_id);
    if (known === undefined || doc.version > known.version) {
      heads.set(doc.connected_profile_id, headOf(doc));
    }
  }

  return heads;
}

function isAfter(position: InputPosition, head: Head): boolean {
  // A different partition means the topic was repartitioned: take the newer change.
  return position.partition !== head.partition || position.offset > head.offset;
}
