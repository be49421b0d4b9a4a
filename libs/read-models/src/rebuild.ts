import { STREAM_CATEGORIES, type StreamCategory } from '@profile-groups/contracts';
import { deepEqual } from '@profile-groups/domain';
import { type EventStore } from '@profile-groups/event-store';
import { type Db, type Document } from 'mongodb';

import { ReadModelWriter } from './read-model-writer';
import {
  DEFINITION_CODEC,
  MEMBERSHIP_CODEC,
  type ReadModelCollections,
  READ_MODEL_NAMES,
  type ReadModelName,
  RULE_DEFINITION_CODEC,
} from './views';

export interface RebuildProgress {
  readonly category: string;
  readonly streams: number;
  readonly events: number;
}

/** The categories the read models come from; profile and connection input feed only the worker. */
export const READ_MODEL_CATEGORIES: readonly StreamCategory[] = STREAM_CATEGORIES.filter(
  (category) => category !== 'profile' && category !== 'connection',
);

/** Replays the full history into the given collections, emptied first. */
export async function rebuildReadModels(
  store: EventStore,
  db: Db,
  target: ReadModelCollections,
  onProgress: (progress: RebuildProgress) => void | Promise<void> = () => undefined,
): Promise<void> {
  for (const name of READ_MODEL_NAMES) {
    await db.collection(target[name]).deleteMany({});
  }
  const writer = new ReadModelWriter(db, target);
  for (const category of READ_MODEL_CATEGORIES) {
    let streams = 0;
    let events = 0;
    for await (const stream of store.readAllStreams(category)) {
      for (const event of stream.events) {
        await writer.apply(event);
        events++;
      }
      streams++;
      if (streams % 500 === 0) await onProgress({ category, streams, events });
    }
    await onProgress({ category, streams, events });
  }
  await writer.flush();
}

export interface ReadModelDifference {
  readonly collection: ReadModelName;
  readonly id: string;
  readonly field: string;
  readonly live: unknown;
  readonly rebuilt: unknown;
}

/** How each view's stored documents decode; views without free-form fields are as stored. */
const DECODERS: Record<ReadModelName, (stored: Document) => Document> = {
  definitions: (stored) => DEFINITION_CODEC.decode(stored as never),
  memberships: (stored) => MEMBERSHIP_CODEC.decode(stored as never),
  ruleDefinitions: (stored) => RULE_DEFINITION_CODEC.decode(stored as never),
  refreshStates: (stored) => stored,
  snapshots: (stored) => stored,
};

/** Every field that differs between the live read models and a rebuild, compared decoded. */
export async function diffReadModels(
  db: Db,
  live: ReadModelCollections,
  rebuilt: ReadModelCollections,
): Promise<ReadModelDifference[]> {
  const differences: ReadModelDifference[] = [];
  for (const name of READ_MODEL_NAMES) {
    const decode = DECODERS[name];
    const load = async (collection: string) => {
      const docs = await db.collection(collection).find({}).toArray();

      return new Map(docs.map((doc) => [String(doc._id), decode(doc) as Record<string, unknown>]));
    };
    const liveDocs = await load(live[name]);
    const rebuiltDocs = await load(rebuilt[name]);
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
  }

  return differences;
}
