import { ConfigError } from '@profile-groups/config';
import { EVENT_CATALOGUE } from '@profile-groups/contracts';
import { DEFAULT_MAX_EVENT_BYTES } from '@profile-groups/event-store';
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

  it('refuses an event limit that a produce request of the relay cannot carry', () => {
    const tooClose = { EVENT_MAX_BYTES: '1048576', KAFKA_MAX_MESSAGE_BYTES: '1048576' };

    expect(loadProjectionConfig({})).toMatchObject({
      EVENT_MAX_BYTES: DEFAULT_MAX_EVENT_BYTES,
      KAFKA_MAX_MESSAGE_BYTES: 1_048_576,
    });
    expect(() => loadProjectionConfig(tooClose)).toThrow(/EVENT_MAX_BYTES=1048576 leaves no room/);
    expect(loadProjectionConfig({ ...tooClose, RELAY_ENABLED: 'false' }).EVENT_MAX_BYTES).toBe(
      1_048_576,
    );
    expect(() => loadProjectionConfig({ KAFKA_MAX_MESSAGE_BYTES: '1000' })).toThrow(
      /KAFKA_MAX_MESSAGE_BYTES="1000": expected a whole number from 65536/,
    );
  });

  it('consumes every topic that carries events, except the profile and connection input', () => {
    const carrying = new Set(Object.values(EVENT_CATALOGUE).map((spec) => spec.topic));
    carrying.delete('profiles');
    carrying.delete('connections');

    expect([...PROJECTED_TOPICS].sort()).toEqual([...carrying].sort());
  });
});
