import { BadRequestException, NotFoundException } from '@nestjs/common';
import { DOMAIN_ERROR_CODES, DomainError, type DomainErrorCode } from '@profile-groups/domain';
import {
  AppendOutcomeUnknownError,
  ConcurrencyError,
  EventTooLargeError,
} from '@profile-groups/event-store';
import { MongoBulkWriteError, MongoNetworkTimeoutError } from 'mongodb';

import {
  MalformedRequestError,
  MissingScopeError,
  PayloadTooLargeError,
  RequestValidationError,
  ResourceNotFoundError,
  UnauthenticatedError,
  VersionConflictError,
} from './api-errors';
import { toErrorResponse } from './error-response';

describe('toErrorResponse', () => {
  const expected: Record<DomainErrorCode, { status: number; field?: string }> = {
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

  it.each([...DOMAIN_ERROR_CODES])('maps the domain code %s', (code) => {
    const { status, field } = expected[code];

    const response = toErrorResponse(new DomainError(code, `Failed: ${code}.`));

    expect(response.status).toBe(status);
    expect(response.unexpected).toBe(false);
    if (field === undefined) {
      expect(response.body).toEqual({ message: `Failed: ${code}.`, code });
    } else {
      expect(response.body).toEqual({
        message: `Failed: ${code}.`,
        code,
        errors: { [field]: [`Failed: ${code}.`] },
      });
    }
  });

  it('keeps the field errors a domain error carries', () => {
    const error = DomainError.validation({
      period_type: ['Give period and period_type together.'],
    });

    expect(toErrorResponse(error).body).toEqual({
      message: 'Give period and period_type together.',
      code: 'validation_failed',
      errors: { period_type: ['Give period and period_type together.'] },
    });
  });

  it('maps the errors of the HTTP edge', () => {
    const validation = new RequestValidationError({
      'profile_ids.3': ['Bad id.'],
      name: ['Needed.'],
    });

    expect(toErrorResponse(validation)).toMatchObject({
      status: 422,
      body: { message: 'Bad id. (and 1 more error)', code: 'validation_failed' },
    });
    expect(toErrorResponse(new MalformedRequestError('malformed_json', 'Bad JSON.'))).toMatchObject(
      {
        status: 400,
        body: { code: 'malformed_json' },
      },
    );
    expect(toErrorResponse(new PayloadTooLargeError()).status).toBe(413);
    expect(
      toErrorResponse(new EventTooLargeError('profile-p-1', 'ProfileUpserted', 600_000, 524_288)),
    ).toEqual({
      status: 413,
      body: {
        message: 'The change would record an event of 600000 bytes; the limit is 524288 bytes.',
        code: 'event_too_large',
      },
      unexpected: false,
    });
    expect(
      toErrorResponse(new ResourceNotFoundError('profile_not_found', 'No such profile.')),
    ).toMatchObject({ status: 404, body: { code: 'profile_not_found' } });
    expect(toErrorResponse(new UnauthenticatedError()).body).toEqual({
      message: 'Unauthenticated.',
      code: 'unauthenticated',
    });
    expect(toErrorResponse(new MissingScopeError('read-group-definitions')).body).toEqual({
      message: 'This action is unauthorized.',
      code: 'forbidden',
      required_scope: 'read-group-definitions',
    });
    expect(toErrorResponse(new VersionConflictError(7))).toMatchObject({
      status: 409,
      body: { code: 'version_conflict', current_version: 7 },
    });
    expect(toErrorResponse(new ConcurrencyError('group-definition-1', 3)).status).toBe(409);
  });

  it('never echoes the text of a framework exception', () => {
    const notFound = toErrorResponse(new NotFoundException('Cannot GET /api/secret?token=x'));
    const badRequest = toErrorResponse(new BadRequestException('Unexpected token } in "{"pii"}'));

    expect(notFound.body).toEqual({
      message: 'The requested route does not exist.',
      code: 'route_not_found',
    });
    expect(badRequest.body.message).not.toContain('pii');
  });

  it('hides anything unexpected behind a 500 and flags it for the log', () => {
    const response = toErrorResponse(new TypeError('db.collection is not a function'));

    expect(response).toEqual({
      status: 500,
      body: { message: 'Server Error.', code: 'internal_error' },
      unexpected: true,
    });
  });

  it('answers 503 with Retry-After while MongoDB does not answer, saying whether a write may have landed', () => {
    const timeout = new MongoNetworkTimeoutError('Socket timeout');
    const inBulk = new MongoBulkWriteError(timeout, {} as never);
    const unknown = new AppendOutcomeUnknownError(['profile-p-1'], inBulk);

    for (const error of [timeout, inBulk]) {
      expect(toErrorResponse(error)).toEqual({
        status: 503,
        body: {
          message: expect.stringContaining('nothing was changed'),
          code: 'database_unavailable',
        },
        unexpected: false,
        retryAfterSeconds: 5,
      });
    }
    expect(toErrorResponse(unknown)).toMatchObject({
      status: 503,
      body: { code: 'write_outcome_unknown', message: expect.stringContaining('If-Match') },
      retryAfterSeconds: 5,
    });
  });
});
