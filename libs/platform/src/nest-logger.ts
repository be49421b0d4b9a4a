import { type LoggerService } from '@nestjs/common';
import { type Logger } from '@profile-groups/observability';

/**
 * Routes Nest's own log calls into the JSON logger as `nest.log` lines. Nest's `log`
 * level is framework chatter (mapped routes), so it goes to debug.
 */
export class NestLoggerAdapter implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.logger.debug('nest.log', fields(message, params));
  }

  error(message: unknown, ...params: unknown[]): void {
    this.logger.error('nest.error', fields(message, params));
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.logger.warn('nest.warn', fields(message, params));
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.logger.debug('nest.debug', fields(message, params));
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.logger.debug('nest.verbose', fields(message, params));
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.logger.error('nest.fatal', fields(message, params));
  }
}

/** Nest passes the context name last, and a stack trace before it for errors. */
function fields(message: unknown, params: unknown[]): Record<string, unknown> {
  const context = typeof params.at(-1) === 'string' ? params.at(-1) : undefined;
  const rest = context === undefined ? params : params.slice(0, -1);

  return {
    context,
    detail: message instanceof Error ? message : String(message),
    ...(rest.length > 0 ? { extra: rest } : {}),
  };
}
