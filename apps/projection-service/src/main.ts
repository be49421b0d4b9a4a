import 'reflect-metadata';

import { runApp } from '@profile-groups/platform';

import { loadProjectionConfig } from './projection.config';
import { createProjectionService } from './projection-service';

runApp(
  'projection-service',
  () => loadProjectionConfig(),
  async (config, logger) => {
    const service = await createProjectionService(config, logger);

    return { listen: (port, host) => service.app.listen(port, host), stop: () => service.stop() };
  },
  (config) => ({ relay: config.RELAY_ENABLED, projections: config.PROJECTIONS_ENABLED }),
);
