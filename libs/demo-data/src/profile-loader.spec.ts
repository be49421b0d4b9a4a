import { checkEventData, fromKafkaRecord, toKafkaRecord } from '@profile-groups/contracts';

import { type DemoDataError } from './demo-data.errors';
import { generateProfiles } from './profile-generator';
import { DEMO_SOURCE, profileUpsertedEvent } from './profile-loader';

const AT = new Date('2026-12-01T08:00:00.000Z');

describe('profileUpsertedEvent', () => {
  it('builds an envelope that survives the Kafka record round trip and passes the schema', () => {
    for (const profile of generateProfiles({ seed: 3, count: 500 })) {
      const event = profileUpsertedEvent(profile, AT, 'load-1');
      const record = toKafkaRecord(event, DEMO_SOURCE);
      expect(record.key).toBe(`profile-${profile.profile_id}`);
      const decoded = fromKafkaRecord(record.headers, record.value);
      expect(decoded).toEqual(event);
      expect(checkEventData(decoded.type, decoded.schema_version, decoded.data)).toEqual({
        ok: true,
      });
    }
  });

  it('carries the attributes, the time and the load correlation id', () => {
    const [profile] = [...generateProfiles({ seed: 3, count: 1 })];
    expect(profileUpsertedEvent(profile!, AT, 'load-1')).toMatchObject({
      type: 'ProfileUpserted',
      stream: `profile-${profile!.profile_id}`,
      time: AT.toISOString(),
      correlation_id: 'load-1',
      data: {
        profile_id: profile!.profile_id,
        attributes: profile!.attributes,
        upserted_at: AT.toISOString(),
      },
    });
  });

  it('refuses a profile the worker would dead-letter, naming the problem', () => {
    const [profile] = [...generateProfiles({ seed: 3, count: 1 })];
    const unsafe = JSON.parse('{"__proto__": {"x": 1}}') as object;
    const bad = [
      { ...profile!, profile_id: '' },
      { ...profile!, attributes: { ...profile!.attributes, attributes: unsafe } },
    ];
    for (const candidate of bad) {
      expect(() => profileUpsertedEvent(candidate, AT, 'load-1')).toThrow(
        expect.objectContaining({ code: 'demo_data.invalid_profile' }) as DemoDataError,
      );
    }
  });
});
