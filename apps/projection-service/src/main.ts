import 'reflect-metadata';

import { ConfigError } from '@profile-groups/config';
import { Logger } from '@profile-groups/observability';

import { loadProjectionConfig } from './projection.config';
import { createProjectionService } from './projection-service';

async function main(): Promise<void> {
  const logger = new Logger('projection-service');
  let config;
  try {
    config = loadProjectionConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const service = await createProjectionService(config, logger);
  await service.app.listen(config.PORT, config.HOST);
  logger.info('app.started', { port: config.PORT, relay: config.RELAY_ENABLED });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('app.stopping', { signal });
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('app.stop_failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  new Logger('projection-service').error('app.start_failed', { error });
  process.exit(1);
});
