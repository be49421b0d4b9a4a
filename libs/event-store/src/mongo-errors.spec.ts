import {
  MongoBulkWriteError,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
} from 'mongodb';

import { isMongoUnavailable } from './mongo-errors';

describe('isMongoUnavailable', () => {
  it('recognises a server that does not answer, also inside a bulk write error', () => {
    const lost = new MongoNetworkError('connection closed');

    expect(isMongoUnavailable(lost)).toBe(true);
    expect(isMongoUnavailable(new MongoServerSelectionError('no server', {} as never))).toBe(true);
    expect(isMongoUnavailable(new MongoBulkWriteError(lost, {} as never))).toBe(true);
    expect(isMongoUnavailable(new Error('append failed', { cause: lost }))).toBe(true);
    const full = Object.assign(new Error('pool full'), { name: 'MongoWaitQueueTimeoutError' });
    expect(isMongoUnavailable(full)).toBe(true);
  });

  it('leaves answers that are errors alone', () => {
    expect(isMongoUnavailable(new MongoServerError({ message: 'dup', code: 11000 }))).toBe(false);
    expect(isMongoUnavailable(new TypeError('bug'))).toBe(false);
    expect(isMongoUnavailable('text')).toBe(false);
  });
});
