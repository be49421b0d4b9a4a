import { type FieldErrors } from '@profile-groups/domain';

/**
 * Failures found at the HTTP edge. Plain data: `toErrorResponse` is the one place that
 * turns them, and every other error, into a status and a body.
 */
export class RequestValidationError extends Error {
  constructor(
    readonly fieldErrors: FieldErrors,
    message = summarize(fieldErrors),
    /** Machine codes of some of those fields' problems, by the same paths. */
    readonly fieldCodes: FieldErrors = {},
  ) {
    super(message);
    this.name = 'RequestValidationError';
  }
}

/** The request cannot be read: malformed JSON, a body that is not JSON, and the like. */
export class MalformedRequestError extends Error {
  constructor(
    readonly code: 'malformed_json' | 'unsupported_content_type' | 'malformed_body',
    message: string,
  ) {
    super(message);
    this.name = 'MalformedRequestError';
  }
}

export class PayloadTooLargeError extends Error {
  constructor() {
    super('The request body is too large.');
    this.name = 'PayloadTooLargeError';
  }
}

export class UnauthenticatedError extends Error {
  constructor() {
    super('Unauthenticated.');
    this.name = 'UnauthenticatedError';
  }
}

export class MissingScopeError extends Error {
  constructor(readonly requiredScope: string) {
    super('This action is unauthorized.');
    this.name = 'MissingScopeError';
  }
}

/** A resource other than a group or rule definition is missing; `code` names which. */
export class ResourceNotFoundError extends Error {
  constructor(
    readonly code: 'profile_not_found' | 'snapshot_not_found',
    message: string,
  ) {
    super(message);
    this.name = 'ResourceNotFoundError';
  }
}

/** The stream is not at the version the caller expected (If-Match, or retries ran out). */
export class VersionConflictError extends Error {
  constructor(readonly currentVersion: number) {
    super(`The resource is at version ${currentVersion}; reload it and try again.`);
    this.name = 'VersionConflictError';
  }
}

function summarize(fieldErrors: FieldErrors): string {
  const messages = Object.values(fieldErrors).flat();
  const first = messages[0] ?? 'The given data was invalid.';
  const more = messages.length - 1;

  return more > 0 ? `${first} (and ${more} more error${more > 1 ? 's' : ''})` : first;
}
