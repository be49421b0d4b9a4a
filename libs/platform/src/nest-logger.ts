import { type LoggerService } from '@nestjs/common';
import { type Logger } from '@profile-groups/observability';

/** Routes Nest's own log calls into the structured JSON logger. */
export class NestLoggerAdapter implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: unknown): void {
    this.logger.debug('nest.log', { detail: String(message), context });
  }

  error(message: unknown, trace?: unknown, context?: unknown): void {
    this.logger.error('nest.error', { detail: String(message), trace, context });
  }

  warn(message: unknown, context?: unknown): void {
    this.logger.warn('nest.warn', { detail: String(message), context });
  }

  debug(message: unknown, context?: unknown): void {
    this.logger.debug('nest.debug', { detail: String(message), context });
  }

  verbose(message: unknown, context?: unknown): void {
    this.logger.debug('nest.verbose', { detail: String(message), context });
  }
}
