import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type EventMetadata } from '@profile-groups/contracts';

import { RequestValidationError } from '../errors/api-errors';
import { type ApiRequest } from './api-request';

/** A query string as sent: keys kept literally (`page[size]`), repeated keys as arrays. */
export type RawQueryParams = Record<string, string | string[]>;

const UNSAFE_QUERY_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseRawQuery(originalUrl: string): RawQueryParams {
  const params: RawQueryParams = {};
  for (const [key, value] of requestUrl(originalUrl, 'http', 'localhost').searchParams) {
    // `params.__proto__` would be Object.prototype itself: refuse such keys outright.
    if (UNSAFE_QUERY_KEYS.has(key)) {
      throw new RequestValidationError({ [key]: [`The query parameter ${key} is not allowed.`] });
    }
    const existing = Object.prototype.hasOwnProperty.call(params, key) ? params[key] : undefined;
    if (existing === undefined) params[key] = value;
    else params[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }

  return params;
}

/** The full URL a request was made to, for links the client can follow. */
export function requestUrl(originalUrl: string, protocol: string, host: string): URL {
  return new URL(originalUrl, `${protocol}://${host}`);
}

function requestOf(context: ExecutionContext): ApiRequest {
  return context.switchToHttp().getRequest<ApiRequest>();
}

/**
 * The raw query string as an object, for a query DTO. Read from the URL itself so that
 * bracketed keys mean the same whichever query parser Express is set to.
 */
export const RawQuery = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  parseRawQuery(requestOf(context).originalUrl),
);

/** Where a request was sent: the absolute path URL and the raw query string. */
export interface RequestLocation {
  /** `https://host/api/v3/groups/definitions`, without the query. */
  readonly path: string;
  /** The query string without its `?`. */
  readonly query: string;
}

/**
 * The location of the request as the client addressed it. An interface, not a URL, on
 * purpose: the global pipe validates custom decorators and would try to rebuild a class.
 */
export const RequestedLocation = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestLocation => {
    const req = requestOf(context);
    const url = requestUrl(req.originalUrl, req.protocol, req.get('host') ?? 'localhost');

    return { path: `${url.origin}${url.pathname}`, query: url.search.replace(/^\?/, '') };
  },
);

/** Correlation and actor stamped on every event the command writes. */
export const CommandMetadata = createParamDecorator(
  (_data: unknown, context: ExecutionContext): EventMetadata => {
    const req = requestOf(context);

    return {
      correlation_id: req.correlationId ?? 'unknown',
      causation_id: null,
      actor: req.principal?.subject ?? null,
    };
  },
);
