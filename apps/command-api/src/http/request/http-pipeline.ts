import { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import express from 'express';
import { type Logger, newCorrelationId, withCorrelation } from '@profile-groups/observability';

import {
  MalformedRequestError,
  PayloadTooLargeError,
  RequestValidationError,
} from '../errors/api-errors';
import { type ApiRequest, routeOf } from './api-request';

/**
 * A backstop against pathological nesting, well above the depth a rule may have: the
 * rule validator refuses deeper rules itself, naming the path of the offending part.
 */
export const MAX_JSON_DEPTH = 256;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Longest string anywhere in a body; profile ids have their own, smaller limit. */
const MAX_STRING_LENGTH = 65_536;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Object keys in one body, all levels together (ids in an array are not keys). */
const MAX_OBJECT_KEYS = 2_000;
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Middleware in the order they run, before any route. The correlation context is
 * entered only after the body is read: stream callbacks of the body parser would lose it.
 */
export function httpPipeline(logger: Logger, bodyMaxBytes: number): RequestHandler[] {
  return [assignCorrelation(logger), requireJsonBody, parseJsonBody(bodyMaxBytes), inspectJsonBody];
}

/** Runs the rest of the request inside its correlation context (registered last). */
export function enterCorrelation(req: Request, _res: Response, next: NextFunction): void {
  const correlationId = (req as ApiRequest).correlationId ?? newCorrelationId();
  withCorrelation({ correlationId, causationId: null, actor: null }, next);
}

function assignCorrelation(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const startedAt = process.hrtime.bigint();
    const offered = req.get('x-correlation-id') ?? req.get('x-request-id');
    const correlationId = offered && CORRELATION_ID.test(offered) ? offered : newCorrelationId();
    (req as ApiRequest).correlationId = correlationId;
    res.setHeader('X-Correlation-Id', correlationId);
    res.on('finish', () => {
      const fields = {
        method: req.method,
        route: routeOf(req),
        status: res.statusCode,
        duration_ms: Number(process.hrtime.bigint() - startedAt) / 1e6,
      };
      withCorrelation({ correlationId, causationId: null, actor: null }, () =>
        logger.info('http.request', fields),
      );
    });
    next();
  };
}

function hasBody(req: Request): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0
  );
}

function isJsonType(req: Request): boolean {
  return req.is(['application/json', 'application/*+json']) !== false;
}

function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  if (hasBody(req) && !isJsonType(req)) {
    next(
      new MalformedRequestError(
        'unsupported_content_type',
        'The request body must be JSON, sent with Content-Type: application/json.',
      ),
    );

    return;
  }
  next();
}

/**
 * Express's JSON parser, its failures turned into our errors (its messages quote the body).
 * The limit counts the bytes received (inflated, if the body was compressed).
 */
function parseJsonBody(maxBytes: number): RequestHandler {
  const parse = express.json({
    limit: maxBytes,
    strict: true,
    type: ['application/json', 'application/*+json'],
  });

  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if (error === undefined || error === null) {
        next();

        return;
      }
      const status = (error as { status?: unknown }).status;
      if (status === 413) {
        next(new PayloadTooLargeError());
      } else if (typeof status === 'number' && status < 500) {
        next(new MalformedRequestError('malformed_json', 'The request body is not valid JSON.'));
      } else {
        next(error);
      }
    });
  };
}

/**
 * A body must be one JSON object. Keys that reach object prototypes are refused here,
 * with their path: later steps would silently drop them from free-form JSON.
 */
function inspectJsonBody(req: Request, _res: Response, next: NextFunction): void {
  const body: unknown = req.body;
  if (!hasBody(req) || body === undefined) {
    next();

    return;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    next(new MalformedRequestError('malformed_body', 'The request body must be a JSON object.'));

    return;
  }
  const { errors, codes } = inspectJson(body);
  next(
    Object.keys(errors).length > 0
      ? new RequestValidationError(errors, undefined, codes)
      : undefined,
  );
}

/**
 * Field errors for JSON that is unsafe to handle, walked without recursion: keys that
 * reach object prototypes, NUL characters and lone surrogates (in keys and strings),
 * numbers out of range,
 * excessive nesting, and a bound on the number of keys. The size of an event is the
 * event store's to bound (EVENT_MAX_BYTES).
 * Arrays inside arrays and keys with `$` or `.` are fine: free-form JSON (rules,
 * arguments, meta, profile attributes) is stored encoded as a JSON string, and every
 * other field is checked by its DTO.
 * A number too large for a double (`1e400`, which JSON.parse reads as Infinity) is
 * refused too: stored as JSON it would silently become null.
 */
export function unsafeJsonPaths(root: object): Record<string, string[]> {
  return inspectJson(root).errors;
}

/** The problems of `unsafeJsonPaths`, with a machine code where a client may branch on one. */
function inspectJson(root: object): {
  errors: Record<string, string[]>;
  codes: Record<string, string[]>;
} {
  // Maps, since a path may itself be `__proto__`.
  const problems = new Map<string, string[]>();
  const codes = new Map<string, string[]>();
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value: root, path: '', depth: 0 },
  ];
  let keys = 0;
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value, path, depth } = item;
    if (typeof value === 'string') {
      const problem = stringProblem(value);
      if (problem !== null) problems.set(path, [`The ${path} field ${problem}.`]);
      continue;
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      problems.set(path, [`The ${path} field is a number too large to store.`]);
      codes.set(path, ['non_finite_number']);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_JSON_DEPTH) {
      problems.set(path, [`The ${path} field nests deeper than ${MAX_JSON_DEPTH} levels.`]);
      continue;
    }
    for (const key of Object.keys(value)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (UNSAFE_KEYS.has(key)) {
        problems.set(childPath, [`The key ${key} is not allowed.`]);
        continue;
      }
      if (!Array.isArray(value)) {
        keys++;
        const problem = stringProblem(key);
        if (problem !== null) {
          problems.set(childPath, [`The key ${JSON.stringify(key)} ${problem}.`]);
          continue;
        }
      }
      const child: unknown = (value as Record<string, unknown>)[key];
      pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  if (keys > MAX_OBJECT_KEYS) {
    problems.set('body', [`The body holds more than ${MAX_OBJECT_KEYS} object keys.`]);
  }

  return { errors: Object.fromEntries(problems), codes: Object.fromEntries(codes) };
}

function stringProblem(text: string): string | null {
  if (LONE_SURROGATE.test(text)) return 'is not valid Unicode (a lone surrogate)';
  if (text.includes('\u0000')) return 'contains a NUL character';
  if (text.length > MAX_STRING_LENGTH) return `is longer than ${MAX_STRING_LENGTH} characters`;

  return null;
}
