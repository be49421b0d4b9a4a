import { undocumentedVariables } from '@profile-groups/testing';

import { loadWorkerConfig, WORKER_VARIABLES } from './worker.config';

describe('evaluation-worker configuration', () => {
  it('documents every variable in docs/configuration.md', () => {
    expect(undocumentedVariables(WORKER_VARIABLES)).toEqual([]);
  });

  it('starts from defaults', () => {
    expect(loadWorkerConfig({})).toMatchObject({ PORT: 3001, HOST: '127.0.0.1' });
  });
});
