import { STREAM_CATEGORIES } from '@profile-groups/contracts';
import { deepEqual } from '@profile-groups/domain';
import { type EventStore } from '@profile-groups/event-store';
import { type Db } from 'mongodb';

import { ReadModelWriter } from './read-model-writer';
import { type GroupDefinitionView, type MembershipView, type ReadModelCollections } from './views';

export interface RebuildProgress {
  readonly category: string;
  readonly streams: number;
  readonly events: number;
}

/** Replays the full history into the given (empty) collections. */
export async function rebuildReadModels(
  store: EventStore,
  db: Db,
  target: ReadModelCollections,
  onProgress: (progress: RebuildProgress) => void = () => undefined,
): Promise<void> {
  await db.collection(target.definitions).deleteMany({});
  await db.collection(target.memberships).deleteMany({});
  const writer = new ReadModelWriter(db, target);
  for (const category of STREAM_CATEGORIES) {
    let streams = 0;
    let events = 0;
    for await (const stream of store.readAllStreams(category)) {
      for (const event of stream.events) {
        await writer.apply(event);
        events++;
      }
      streams++;
      if (streams % 500 === 0) onProgress({ category, streams, events });
    }
    onProgress({ category, streams, events });
  }
  await writer.flush();
}

export interface ReadModelDifference {
  readonly collection: 'definitions' | 'memberships';
  readonly id: string;
  readonly field: string;
  readonly live: unknown;
  readonly rebuilt: unknown;
}

/** Every field that differs between the live read models and a rebuild. */
export async function diffReadModels(
  db: Db,
  live: ReadModelCollections,
  rebuilt: ReadModelCollections,
): Promise<ReadModelDifference[]> {
  const differences: ReadModelDifference[] = [];
  const compare = async <T extends { _id: unknown }>(
    name: 'definitions' | 'memberships',
    liveName: string,
    rebuiltName: string,
  ) => {
    const left = await db.collection<T>(liveName).find({}).toArray();
    const right = await db.collection<T>(rebuiltName).find({}).toArray();
    const byId = (docs: T[]) =>
      new Map(docs.map((doc) => [String(doc._id), doc as Record<string, unknown>]));
    const liveDocs = byId(left as T[]);
    const rebuiltDocs = byId(right as T[]);
    for (const id of new Set([...liveDocs.keys(), ...rebuiltDocs.keys()])) {
      const a = liveDocs.get(id);
      const b = rebuiltDocs.get(id);
      if (!a || !b) {
        differences.push({
          collection: name,
          id,
          field: '(document)',
          live: a ? 'present' : 'missing',
          rebuilt: b ? 'present' : 'missing',
        });
        continue;
      }
      for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (!deepEqual(a[field], b[field])) {
          differences.push({ collection: name, id, field, live: a[field], rebuilt: b[field] });
        }
      }
    }
  };
  await compare<GroupDefinitionView>('definitions', live.definitions, rebuilt.definitions);
  await compare<MembershipView>('memberships', live.memberships, rebuilt.memberships);

  return differences;
}
