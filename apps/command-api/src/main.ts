import 'reflect-metadata';

import { runApp } from '@profile-groups/platform';

import { loadCommandApiConfig } from './app.config';
import { createCommandApi } from './app.factory';

runApp(
  'command-api',
  () => loadCommandApiConfig(),
  async (config, logger) => {
    const app = await createCommandApi(config, { logger });

    // close() runs the shutdown hooks: the HTTP server, then the MongoDB client.
    return { listen: (port, host) => app.listen(port, host), stop: () => app.close() };
  },
);
