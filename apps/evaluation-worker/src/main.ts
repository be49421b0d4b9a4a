import 'reflect-metadata';

import { ConfigError } from '@profile-groups/config';
import { Logger } from '@profile-groups/observability';

import { loadWorkerConfig } from './worker.config';
import { createEvaluationWorker } from './evaluation-worker';

async function main(): Promise<void> {
  const logger = new Logger('evaluation-worker');
  let config;
  try {
    config = loadWorkerConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const service = await createEvaluationWorker(config, logger);
  await service.app.listen(config.PORT, config.HOST);
  logger.info('app.started', { port: config.PORT });

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
  new Logger('evaluation-worker').error('app.start_failed', { error });
  process.exit(1);
});
