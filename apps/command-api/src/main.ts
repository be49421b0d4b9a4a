import 'reflect-metadata';

import { ConfigError } from '@profile-groups/config';
import { Logger } from '@profile-groups/observability';

import { type CommandApiConfig, loadCommandApiConfig } from './app.config';
import { createCommandApi } from './app.factory';

async function main(): Promise<void> {
  let config: CommandApiConfig;
  try {
    config = loadCommandApiConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = new Logger('command-api', config.LOG_LEVEL);
  const app = await createCommandApi(config, { logger });
  // SIGTERM/SIGINT close the HTTP server, then the MongoDB client (onApplicationShutdown).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.PORT, config.HOST);
  logger.info('app.started', { host: config.HOST, port: config.PORT });
}

main().catch((error: unknown) => {
  new Logger('command-api').error('app.start_failed', { error });
  process.exit(1);
});
