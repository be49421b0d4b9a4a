import {
  MongoBulkWriteError,
  MongoNetworkError,
  MongoOperationTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

export const DUPLICATE_KEY = 11000;

interface WriteErrorShape {
  readonly code: number;
  readonly index: number;
}

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

/**
 * Indexes of the documents an unordered insertMany refused as duplicates. Any other
 * write error is rethrown: it is not a concurrency outcome.
 */
export function duplicateIndexes(error: unknown): Set<number> {
  if (!(error instanceof MongoBulkWriteError)) {
    if (isDuplicateKey(error)) return new Set([0]);
    throw error;
  }
  const reported = error.writeErrors as WriteErrorShape | WriteErrorShape[];
  const writeErrors = (Array.isArray(reported) ? reported : [reported]).filter(Boolean);
  // No per-document errors means the whole write failed (FerretDB refuses a NUL byte
  // that way): nothing was stored, so this must not pass as "no duplicates".
  if (writeErrors.length === 0) throw error;
  const indexes = new Set<number>();
  for (const writeError of writeErrors) {
    if (writeError.code !== DUPLICATE_KEY) throw error;
    indexes.add(writeError.index);
  }

  return indexes;
}

/** Driver errors of a pool that is closed or full, which the driver does not export. */
const UNAVAILABLE_ERROR_NAMES = new Set(['MongoWaitQueueTimeoutError', 'MongoPoolClosedError']);

/**
 * True when MongoDB did not answer (unreachable, timed out, connection lost or the
 * client closed) rather than answered with an error: a retry later may succeed. Looks
 * through the errors the driver wraps a lost connection in, such as a bulk write's.
 */
export function isMongoUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (
      current instanceof MongoNetworkError ||
      current instanceof MongoServerSelectionError ||
      current instanceof MongoOperationTimeoutError ||
      current instanceof MongoTopologyClosedError ||
      UNAVAILABLE_ERROR_NAMES.has(current.name)
    ) {
      return true;
    }
    current =
      current instanceof MongoBulkWriteError && current.errorResponse instanceof Error
        ? current.errorResponse
        : current.cause;
  }

  return false;
}
