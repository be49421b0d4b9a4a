import { currentCorrelation } from './correlation';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export type LogFields = Record<string, unknown>;

/**
 * Structured JSON logger: a constant dotted message (`relay.published`) plus context
 * fields, one line each on stdout. The correlation id of the current context is added
 * to every line. Never log payloads: they carry personal data.
 */
export class Logger {
  constructor(
    private readonly component: string,
    private readonly level: LogLevel = parseLevel(process.env.LOG_LEVEL),
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  child(component: string): Logger {
    return new Logger(`${this.component}.${component}`, this.level, this.write);
  }

  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }

  private log(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (RANK[level] < RANK[this.level]) return;
    const correlation = currentCorrelation();
    const line: LogFields = {
      time: new Date().toISOString(),
      level,
      component: this.component,
      msg: message,
      ...(correlation ? { correlation_id: correlation.correlationId } : {}),
      ...fields,
    };
    this.write(JSON.stringify(line, errorReplacer));
  }
}

function errorReplacer(_key: string, value: unknown): unknown {
  // Kafka offsets are BigInts; JSON.stringify would throw on them and crash the caller.
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) {
    return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
  }

  return value;
}

export function parseLevel(value: string | undefined): LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value ?? '') ? (value as LogLevel) : 'info';
}
