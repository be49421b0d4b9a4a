import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';

import { type Scope } from '../auth/scopes';
import {
  ConflictErrorSchema,
  ErrorSchema,
  ForbiddenErrorSchema,
  PageLinksSchema,
  PageMetaSchema,
  ValidationErrorSchema,
} from './schemas';

export const BEARER_SCHEME = 'bearer';

const ERROR_RESPONSES: Record<number, { type: Type<unknown>; description: string }> = {
  400: { type: ErrorSchema, description: 'Malformed JSON, or a body that is not JSON.' },
  401: { type: ErrorSchema, description: 'No valid bearer token.' },
  403: { type: ForbiddenErrorSchema, description: 'The token lacks the required scope.' },
  404: { type: ErrorSchema, description: 'No such resource (the code says which).' },
  409: {
    type: ConflictErrorSchema,
    description: 'The stream is past the expected version, or the resource is in use.',
  },
  413: {
    type: ErrorSchema,
    description:
      'payload_too_large: the body is larger than HTTP_BODY_MAX_BYTES (2 MiB by default); ' +
      'event_too_large: an event the request would record is larger than EVENT_MAX_BYTES ' +
      '(512 KiB by default, counted in UTF-8 bytes). Nothing was stored.',
  },
  422: { type: ValidationErrorSchema, description: 'Invalid input, by field path.' },
  503: {
    type: ErrorSchema,
    description:
      'MongoDB did not answer in time; `Retry-After` says when to try again. ' +
      '`database_unavailable`: nothing was changed. `write_outcome_unknown`: the change may ' +
      'have been stored; repeating it is safe with If-Match (a 409 then means it was) or ' +
      'when the request is idempotent.',
  },
};

/** Bearer auth with its scope, and the error answers every authenticated route can give. */
export function ApiAuthenticated(scope: Scope, ...statuses: number[]) {
  return applyDecorators(
    ApiBearerAuth(BEARER_SCHEME),
    ...[401, 403, ...statuses, 503].map((status) => {
      const spec = ERROR_RESPONSES[status] ?? { type: ErrorSchema, description: 'Error.' };
      const description = status === 403 ? `${spec.description} Needs ${scope}.` : spec.description;

      return ApiResponse({ status, type: spec.type, description });
    }),
  );
}

/** `{"data": Model}` or `{"data": [Model]}`. */
export function ApiData(status: number, model: Type<unknown>, description: string, many = false) {
  const item = { $ref: getSchemaPath(model) };

  return applyDecorators(
    ApiExtraModels(model),
    ApiResponse({
      status,
      description,
      schema: {
        type: 'object',
        required: ['data'],
        properties: { data: many ? { type: 'array', items: item } : item },
      },
    }),
  );
}

/** The paginated list envelope of API.md. */
export function ApiPage(model: Type<unknown>, description: string) {
  return applyDecorators(
    ApiExtraModels(model, PageLinksSchema, PageMetaSchema),
    ApiResponse({
      status: 200,
      description,
      schema: {
        type: 'object',
        required: ['data', 'links', 'meta'],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(model) } },
          links: { $ref: getSchemaPath(PageLinksSchema) },
          meta: { $ref: getSchemaPath(PageMetaSchema) },
        },
      },
    }),
  );
}
