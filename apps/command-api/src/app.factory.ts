import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from '@profile-groups/observability';
import { NestLoggerAdapter } from '@profile-groups/platform';

import { type CommandApiConfig } from './app.config';
import { CommandApiModule } from './app.module';
import { enterCorrelation, httpPipeline } from './http/request/http-pipeline';
import { setupOpenApi } from './http/openapi/openapi';
import { type CommandApiDeps, openRuntime } from './infrastructure/command-api.runtime';

export { type CommandApiDeps } from './infrastructure/command-api.runtime';

export const GLOBAL_PREFIX = 'api';

/**
 * Builds the command API, ready to `listen` (or `init` for in-process use). Connects
 * to MongoDB for whatever `deps` leaves out, ensures the event store indexes and the
 * handle claims collection. `app.close()` also closes the clients it opened.
 */
export async function createCommandApi(
  config: CommandApiConfig,
  deps: CommandApiDeps = {},
): Promise<NestExpressApplication> {
  const logger = deps.logger ?? new Logger('command-api', config.LOG_LEVEL);
  const runtime = await openRuntime(config, deps, logger);
  try {
    const app = await NestFactory.create<NestExpressApplication>(
      CommandApiModule.forRoot(runtime),
      { logger: new NestLoggerAdapter(logger), bodyParser: false, abortOnError: false },
    );
    app.setGlobalPrefix(GLOBAL_PREFIX);
    // A client that sends less body than it announced must not hold a socket for minutes.
    const server = app.getHttpServer();
    server.requestTimeout = 30_000;
    server.headersTimeout = 15_000;
    app.use(...httpPipeline(logger, config.HTTP_BODY_MAX_BYTES), enterCorrelation);
    setupOpenApi(app);

    return app;
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
