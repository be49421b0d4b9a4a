import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { type Response } from 'express';
import { Logger } from '@profile-groups/observability';

import { type ApiRequest, routeOf } from '../request/api-request';
import { toErrorResponse } from './error-response';

/** Global filter: every failure of every route leaves through `toErrorResponse`. */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<ApiRequest>();
    const res = http.getResponse<Response>();
    const { status, body, unexpected, retryAfterSeconds } = toErrorResponse(exception);
    const request = { correlation_id: req.correlationId, method: req.method, route: routeOf(req) };
    if (unexpected) {
      this.logger.error('http.unhandled_error', {
        ...request,
        error: exception,
        stack: exception instanceof Error ? exception.stack : undefined,
      });
    } else if (status === 503) {
      this.logger.warn('http.dependency_unavailable', {
        ...request,
        code: body.code,
        error: exception,
      });
    }
    if (res.headersSent) {
      res.end();

      return;
    }
    if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
    res.status(status).json(body);
  }
}
