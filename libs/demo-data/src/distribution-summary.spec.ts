import { type DemoConnection } from './connection-generator';
import { DistributionSummary, summarizeConnections } from './distribution-summary';
import { type DemoProfile, type DemoProfileAttributes } from './profile-generator';

const NOW = Date.parse('2026-12-01T00:00:00Z');

function profile(id: string, attributes: Partial<DemoProfileAttributes>): DemoProfile {
  return {
    profile_id: id,
    attributes: {
      flattened_tags: [],
      flattened_statuses: ['active'],
      reward_balance: 0,
      point_balance: 0,
      joined_at: '2020-01-01T00:00:00.000Z',
      attributes: {},
      ...attributes,
    },
  };
}

const aggregations = (spend: number) => ({
  spend_12m: spend,
  spend_all: spend,
  spend_atv_12m: spend === 0 ? null : spend,
  shop_count: spend === 0 ? 0 : 1,
});

describe('DistributionSummary', () => {
  it('counts shares, presence, recent joins and the spend of profiles with aggregations', () => {
    const summary = new DistributionSummary(NOW);
    summary.add(
      profile('a', { tier_handle: 'gold', email: 'a@example.com', aggregations: aggregations(0) }),
    );
    summary.add(
      profile('b', {
        tier_handle: null,
        email: null,
        flattened_tags: ['vip', 'b2b'],
        aggregations: aggregations(10),
      }),
    );
    summary.add(
      profile('c', { joined_at: '2026-11-20T00:00:00.000Z', aggregations: aggregations(20) }),
    );
    summary.add(
      profile('d', {
        tier_handle: 'gold',
        aggregations: null,
        attributes: { comms: { email_promo_opt_in: true } },
      }),
    );

    expect(summary.result()).toEqual({
      profiles: 4,
      tier: { gold: 0.5, null: 0.25, missing: 0.25 },
      email: { present: 0.25, null: 0.25, missing: 0.5 },
      birth_year: { present: 0, null: 0, missing: 1 },
      with_tags: 0.25,
      tags_per_profile: 0.5,
      tags: { b2b: 0.25, vip: 0.25 },
      joined_last_30_days: 0.25,
      aggregations: { present: 0.75, null: 0.25, missing: 0 },
      spend_12m: { zero: 0.3333, median: 10, mean: 10, p90: 20, max: 20 },
      email_promo_opt_in: { missing: 0.75, true: 0.25 },
    });
  });

  it('summarises nothing without dividing by zero', () => {
    expect(new DistributionSummary(NOW).result()).toMatchObject({
      profiles: 0,
      with_tags: 0,
      spend_12m: { zero: 0, median: 0, mean: 0, p90: 0, max: 0 },
    });
  });
});

describe('summarizeConnections', () => {
  it('counts per type and per status', () => {
    const c = (type: DemoConnection['type'], status: DemoConnection['status']): DemoConnection => ({
      profile_id: 'a',
      connected_profile_id: 'b',
      type,
      status,
    });
    expect(
      summarizeConnections([
        c('household', 'accepted'),
        c('household', 'pending'),
        c('referrer', 'accepted'),
      ]),
    ).toEqual({
      connections: 3,
      by_type: { household: 2, referrer: 1 },
      by_status: { accepted: 2, pending: 1 },
    });
  });
});
