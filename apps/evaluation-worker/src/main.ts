import 'reflect-metadata';

import { runApp } from '@profile-groups/platform';

import { createEvaluationWorker } from './evaluation-worker';
import { loadWorkerConfig } from './worker.config';

runApp(
  'evaluation-worker',
  () => loadWorkerConfig(),
  async (config, logger) => {
    const worker = await createEvaluationWorker(config, logger);

    return { listen: (port, host) => worker.app.listen(port, host), stop: () => worker.stop() };
  },
);
