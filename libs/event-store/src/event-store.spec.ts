import { profileStream } from '@profile-groups/contracts';
import { type Db, MongoNetworkError } from 'mongodb';

import { EventStore } from './event-store';
import { AppendOutcomeUnknownError } from './event-store.errors';
import { OUTBOX_COLLECTION } from './stored-commit';

const metadata = { correlation_id: 'corr', causation_id: null, actor: 'test' };
const upserted = {
  type: 'ProfileUpserted',
  data: { profile_id: 'p-1', attributes: {}, upserted_at: '2026-01-01T00:00:00.000Z' },
} as const;

/** A database whose every insertMany into `failing` rejects with `error`. */
function databaseFailing(failing: 'outbox' | 'commits', error: Error): Db {
  return {
    collection: (name: string) => ({
      insertMany: () => {
        const isOutbox = name === OUTBOX_COLLECTION;

        return (failing === 'outbox') === isOutbox ? Promise.reject(error) : Promise.resolve();
      },
      insertOne: () => Promise.resolve(),
      deleteMany: () => Promise.resolve(),
      countDocuments: () => Promise.resolve(1),
    }),
  } as unknown as Db;
}

describe('EventStore when MongoDB stops answering mid-append', () => {
  const stream = profileStream('p-1');

  it('reports an unknown outcome once the commit was sent', async () => {
    const lost = new MongoNetworkError('connection timed out');
    const store = new EventStore(databaseFailing('commits', lost));

    const failure = await store.append(stream, 0, [upserted], metadata).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(AppendOutcomeUnknownError);
    expect(failure).toMatchObject({ streams: [stream], cause: lost });
  });

  it('passes the driver error on when nothing but the intents was sent', async () => {
    const lost = new MongoNetworkError('connection timed out');
    const store = new EventStore(databaseFailing('outbox', lost));

    await expect(store.append(stream, 0, [upserted], metadata)).rejects.toBe(lost);
  });

  it('does not call a refused write an outage', async () => {
    const refused = new Error('document too deep');
    const store = new EventStore(databaseFailing('commits', refused));

    await expect(store.append(stream, 0, [upserted], metadata)).rejects.toBe(refused);
  });
});
