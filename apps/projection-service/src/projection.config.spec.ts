import { ConfigError } from '@profile-groups/config';
import { EVENT_CATALOGUE } from '@profile-groups/contracts';
import { undocumentedVariables } from '@profile-groups/testing';

import { loadProjectionConfig, PROJECTED_TOPICS, PROJECTION_VARIABLES } from './projection.config';

describe('projection-service configuration', () => {
  it('documents every variable in docs/configuration.md', () => {
    expect(undocumentedVariables(PROJECTION_VARIABLES)).toEqual([]);
  });

  it('starts from defaults and refuses bad values, listing each', () => {
    expect(loadProjectionConfig({})).toMatchObject({ PORT: 3002, RELAY_ENABLED: true });
    let refused: unknown;
    try {
      loadProjectionConfig({ PORT: 'x', RELAY_ENABLED: 'maybe' });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).problems.map((p) => p.split('=')[0])).toEqual([
      'RELAY_ENABLED',
      'PORT',
    ]);
  });

  it('consumes every topic that carries events, except the profile and connection input', () => {
    const carrying = new Set(Object.values(EVENT_CATALOGUE).map((spec) => spec.topic));
    carrying.delete('profiles');
    carrying.delete('connections');

    expect([...PROJECTED_TOPICS].sort()).toEqual([...carrying].sort());
  });
});
