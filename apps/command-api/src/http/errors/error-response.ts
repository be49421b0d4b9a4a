import { HttpException } from '@nestjs/common';
import { DomainError, type DomainErrorCode, type FieldErrors } from '@profile-groups/domain';
import {
  AppendOutcomeUnknownError,
  ConcurrencyError,
  EventTooLargeError,
  isMongoUnavailable,
} from '@profile-groups/event-store';

import {
  MalformedRequestError,
  MissingScopeError,
  PayloadTooLargeError,
  RequestValidationError,
  ResourceNotFoundError,
  UnauthenticatedError,
  VersionConflictError,
} from './api-errors';

export interface ErrorBody {
  readonly message: string;
  /** Stable machine code; clients branch on it, never on the message. */
  readonly code: string;
  readonly errors?: FieldErrors;
  /** Machine codes of the problems at some of the `errors` paths, e.g. `unknown_operator`. */
  readonly error_codes?: FieldErrors;
  readonly required_scope?: string;
  readonly current_version?: number | null;
}

export interface ErrorResponse {
  readonly status: number;
  readonly body: ErrorBody;
  /** True when the error is not the client's doing: log it with its detail. */
  readonly unexpected: boolean;
  /** For a 503: when to try again, as the `Retry-After` header. */
  readonly retryAfterSeconds?: number;
}

/** A MongoDB outage is usually noticed and over within seconds. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Status of each domain error code, and the field a code without field errors of its
 * own is reported under. A new code fails to compile until it is placed here.
 */
const DOMAIN_ERRORS: Record<DomainErrorCode, { status: number; field?: string }> = {
  not_found: { status: 404 },
  not_a_member: { status: 404 },
  validation_failed: { status: 422, field: 'body' },
  immutable_field: { status: 422, field: 'body' },
  wrong_group_type: { status: 422, field: 'group' },
  group_archived: { status: 422, field: 'is_archived' },
  group_expired: { status: 422, field: 'absolute_expiry' },
  handle_taken: { status: 422, field: 'handle' },
  rule_definition_in_use: { status: 409 },
  rule_not_found: { status: 404 },
};

const SERVER_ERROR: ErrorResponse = {
  status: 500,
  body: { message: 'Server Error.', code: 'internal_error' },
  unexpected: true,
};

/** The one mapping from anything thrown while serving a request to what the client sees. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof DomainError) return fromDomainError(error);
  if (error instanceof RequestValidationError) {
    const codes = Object.keys(error.fieldCodes).length > 0 ? { error_codes: error.fieldCodes } : {};

    return clientError(422, 'validation_failed', error.message, {
      errors: error.fieldErrors,
      ...codes,
    });
  }
  if (error instanceof MalformedRequestError) return clientError(400, error.code, error.message);
  if (error instanceof ResourceNotFoundError) return clientError(404, error.code, error.message);
  if (error instanceof PayloadTooLargeError) {
    return clientError(413, 'payload_too_large', error.message);
  }
  if (error instanceof EventTooLargeError) {
    return clientError(
      413,
      'event_too_large',
      `The change would record an event of ${error.bytes} bytes; the limit is ${error.maxBytes} bytes.`,
    );
  }
  if (error instanceof UnauthenticatedError) {
    return clientError(401, 'unauthenticated', error.message);
  }
  if (error instanceof MissingScopeError) {
    return clientError(403, 'forbidden', error.message, { required_scope: error.requiredScope });
  }
  if (error instanceof VersionConflictError) {
    return clientError(409, 'version_conflict', error.message, {
      current_version: error.currentVersion,
    });
  }
  if (error instanceof ConcurrencyError) {
    // Handlers turn conflicts into VersionConflictError; this one escaped without a version.
    return clientError(409, 'version_conflict', 'The resource changed; reload it and try again.', {
      current_version: null,
    });
  }
  if (error instanceof AppendOutcomeUnknownError) {
    return unavailable(
      'write_outcome_unknown',
      'The database stopped answering while the change was being stored: it may or may not ' +
        'have been applied. Repeating it is safe with If-Match (a 409 then means it was ' +
        'applied) or when the request is idempotent; otherwise read the resource first.',
    );
  }
  if (isMongoUnavailable(error)) {
    return unavailable(
      'database_unavailable',
      'The database is not answering; nothing was changed. Try again shortly.',
    );
  }
  if (error instanceof HttpException) return fromHttpException(error);

  return SERVER_ERROR;
}

function unavailable(code: string, message: string): ErrorResponse {
  return {
    status: 503,
    body: { message, code },
    unexpected: false,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  };
}

function fromDomainError(error: DomainError): ErrorResponse {
  const { status, field } = DOMAIN_ERRORS[error.code];
  if (status !== 422) return clientError(status, error.code, error.message);
  const hasFieldErrors = Object.keys(error.fieldErrors).length > 0;
  const errors = hasFieldErrors ? error.fieldErrors : { [field ?? 'body']: [error.message] };
  const codes = Object.keys(error.fieldCodes).length > 0 ? { error_codes: error.fieldCodes } : {};

  return clientError(status, error.code, error.message, { errors, ...codes });
}

/** Nest's own exceptions: unknown routes, bad path encoding. Their text is never echoed. */
function fromHttpException(error: HttpException): ErrorResponse {
  const status = error.getStatus();
  if (status >= 500) return SERVER_ERROR;
  switch (status) {
    case 404:
      return clientError(404, 'route_not_found', 'The requested route does not exist.');
    case 405:
      return clientError(405, 'method_not_allowed', 'The method is not allowed on this route.');
    case 413:
      return clientError(413, 'payload_too_large', 'The request body is too large.');
    default:
      return clientError(status, 'bad_request', 'The request could not be understood.');
  }
}

function clientError(
  status: number,
  code: string,
  message: string,
  extra: Omit<ErrorBody, 'message' | 'code'> = {},
): ErrorResponse {
  return { status, body: { message, code, ...extra }, unexpected: false };
}
