import { type DemoConnection, generateConnections } from './connection-generator';
import { type DemoDataError } from './demo-data.errors';
import { summarizeConnections } from './distribution-summary';
import { generateProfiles } from './profile-generator';

const profiles = [...generateProfiles({ seed: 5, count: 10_000 })];
const byId = new Map(profiles.map((profile) => [profile.profile_id, profile]));
const connections = generateConnections(profiles, { seed: 5 });
const ofType = (type: DemoConnection['type']) => connections.filter((c) => c.type === type);
const key = (c: DemoConnection) => `${c.profile_id}>${c.connected_profile_id}>${c.type}`;

describe('generateConnections', () => {
  it('is deterministic in (profiles, seed), and another seed gives others', () => {
    expect(generateConnections(profiles, { seed: 5 })).toEqual(connections);
    expect(generateConnections(profiles, { seed: 6 })).not.toEqual(connections);
  });

  it('connects existing profiles only, never a profile to itself, never twice', () => {
    const dangling = connections.filter(
      (c) => !byId.has(c.profile_id) || !byId.has(c.connected_profile_id),
    );
    expect(dangling).toEqual([]);
    expect(connections.filter((c) => c.profile_id === c.connected_profile_id)).toEqual([]);
    expect(new Set(connections.map(key)).size).toBe(connections.length);
  });

  it('lists each household connection in both directions with the same status', () => {
    const households = ofType('household');
    const index = new Map(households.map((c) => [key(c), c]));
    const unmatched = households.filter((c) => {
      const back = index.get(`${c.connected_profile_id}>${c.profile_id}>household`);

      return back?.status !== c.status;
    });
    expect(unmatched).toEqual([]);
  });

  it('makes households of 2 to 5 in which everyone is connected to everyone', () => {
    const links = new Map<string, Set<string>>();
    for (const c of ofType('household')) {
      links.set(c.profile_id, (links.get(c.profile_id) ?? new Set()).add(c.connected_profile_id));
    }
    const sizes = new Map<number, number>();
    for (const [member, others] of links) {
      const household = new Set([member, ...others]);
      // Complete: each other member knows exactly the same household.
      for (const other of others) {
        expect(new Set([other, ...links.get(other)!])).toEqual(household);
      }
      sizes.set(household.size, (sizes.get(household.size) ?? 0) + 1);
    }
    expect([...sizes.keys()].sort()).toEqual([2, 3, 4, 5]);
    expect(links.size / profiles.length).toBeGreaterThan(0.15);
    expect(links.size / profiles.length).toBeLessThan(0.25);
  });

  it('gives a few stylists many clients each, staff first, in one direction only', () => {
    const clientsOf = new Map<string, number>();
    for (const c of ofType('stylist-client')) {
      clientsOf.set(c.profile_id, (clientsOf.get(c.profile_id) ?? 0) + 1);
    }
    expect(clientsOf.size).toBe(4);
    expect(Math.min(...clientsOf.values())).toBeGreaterThanOrEqual(5);
    expect([...clientsOf.values()].reduce((a, b) => a + b, 0) / clientsOf.size).toBeGreaterThan(30);
    const stylists = [...clientsOf.keys()];
    expect(
      stylists.filter((id) => byId.get(id)!.attributes.flattened_tags.includes('staff')),
    ).toHaveLength(4);
    expect(ofType('stylist-client').filter((c) => clientsOf.has(c.connected_profile_id))).toEqual(
      [],
    );
  });

  it('has referrals from an earlier member to a later one, one referrer per referred', () => {
    const referrals = ofType('referrer');
    expect(referrals.length / profiles.length).toBeGreaterThan(0.05);
    const joined = (id: string) => Date.parse(byId.get(id)!.attributes.joined_at);
    expect(referrals.filter((c) => joined(c.profile_id) >= joined(c.connected_profile_id))).toEqual(
      [],
    );
    const referred = referrals.map((c) => c.connected_profile_id);
    expect(new Set(referred).size).toBe(referred.length);
    const referrers = new Map<string, number>();
    for (const c of referrals) referrers.set(c.profile_id, (referrers.get(c.profile_id) ?? 0) + 1);
    expect(Math.max(...referrers.values())).toBeGreaterThan(3);
  });

  it('is mostly accepted, with some pending and some declined', () => {
    const { by_status: status } = summarizeConnections(connections);
    expect(status.accepted! / connections.length).toBeGreaterThan(0.8);
    expect(status.pending! / connections.length).toBeGreaterThan(0.04);
    expect(status.declined! / connections.length).toBeGreaterThan(0.01);
  });

  it('copes with tiny inputs', () => {
    expect(generateConnections([], { seed: 1 })).toEqual([]);
    const one = [...generateProfiles({ seed: 1, count: 1 })];
    expect(generateConnections(one, { seed: 1 })).toEqual([]);
    const few = [...generateProfiles({ seed: 1, count: 3 })];
    const small = generateConnections(few, { seed: 1, householdShare: 1 });
    expect(small.filter((c) => c.profile_id === c.connected_profile_id)).toEqual([]);
    expect(small.filter((c) => c.type === 'household').length).toBeGreaterThan(0);
  });

  it.each([{ householdShare: 2 }, { referredShare: -0.1 }, { profilesPerStylist: 0 }])(
    'refuses %p',
    (options) => {
      expect(() => generateConnections(profiles.slice(0, 10), { seed: 1, ...options })).toThrow(
        expect.objectContaining({ code: 'demo_data.invalid_option' }) as DemoDataError,
      );
    },
  );
});
