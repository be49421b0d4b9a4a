import { checkEventData, connectionStream } from '@profile-groups/contracts';

import { generateConnections } from './connection-generator';
import { connectionUpsertedEvent } from './connection-loader';
import { generateProfiles } from './profile-generator';

const at = new Date('2026-12-01T00:00:00.000Z');

describe('connectionUpsertedEvent', () => {
  it('makes an event the worker accepts for every generated connection, keyed by its owner', () => {
    const connections = generateConnections(generateProfiles({ seed: 5, count: 400 }), {
      seed: 5,
    });
    expect(connections.length).toBeGreaterThan(50);
    for (const connection of connections) {
      const event = connectionUpsertedEvent(connection, at, 'c');
      expect(checkEventData(event.type, event.schema_version, event.data)).toEqual({ ok: true });
      expect(event.stream).toBe(connectionStream(connection.profile_id));
    }
  });

  it('refuses a connection the worker would dead-letter', () => {
    const self = {
      profile_id: 'p',
      connected_profile_id: 'p',
      type: 'household' as const,
      status: 'accepted' as const,
    };
    expect(() => connectionUpsertedEvent(self, at, 'c')).toThrow(/connected to itself/);
  });
});
