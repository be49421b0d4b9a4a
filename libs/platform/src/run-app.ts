import { ConfigError } from '@profile-groups/config';
import { type LogFields, Logger, type LogLevel } from '@profile-groups/observability';

export interface RunnableApp {
  listen(port: number, host: string): Promise<unknown>;
  /** Stops consuming, closes servers and clients; resolves when nothing is left running. */
  stop(): Promise<void>;
}

interface ProcessConfig {
  readonly LOG_LEVEL: LogLevel;
  readonly PORT: number;
  readonly HOST: string;
}

/**
 * The life of one app process: parse the environment (exit 2 listing every bad
 * variable), start, listen, and on SIGTERM or SIGINT stop cleanly and exit.
 */
export function runApp<C extends ProcessConfig>(
  name: string,
  loadConfig: () => C,
  start: (config: C, logger: Logger) => Promise<RunnableApp>,
  startedFields: (config: C) => LogFields = () => ({}),
): void {
  let config: C;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const logger = new Logger(name, config.LOG_LEVEL);

  const main = async () => {
    const app = await start(config, logger);
    await app.listen(config.PORT, config.HOST);
    logger.info('app.started', { host: config.HOST, port: config.PORT, ...startedFields(config) });

    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info('app.stopping', { signal });
      app.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error('app.stop_failed', { error });
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  };
  main().catch((error: unknown) => {
    logger.error('app.start_failed', { error });
    process.exit(1);
  });
}
