import { createHash } from 'node:crypto';

import { type DemoDataError } from './demo-data.errors';
import { DistributionSummary } from './distribution-summary';
import { DEFAULT_NOW, type DemoProfile, generateProfiles } from './profile-generator';

const NOW = Date.parse(DEFAULT_NOW);
const DAY = 86_400_000;
const jsonLines = (profiles: Iterable<DemoProfile>) =>
  [...profiles].map((profile) => JSON.stringify(profile)).join('\n');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('generateProfiles: determinism', () => {
  it('gives byte-identical output for the same seed, and pins it', () => {
    const first = jsonLines(generateProfiles({ seed: 42, count: 1000 }));
    expect(jsonLines(generateProfiles({ seed: 42, count: 1000 }))).toBe(first);
    // Changes when anything about the generated data changes: on purpose, say so in the
    // commit. A difference on another platform would be a determinism bug.
    expect(sha256(first)).toBe(GOLDEN_SHA256);
  });

  it('gives other profiles for another seed or another now', () => {
    const base = jsonLines(generateProfiles({ seed: 42, count: 50 }));
    expect(jsonLines(generateProfiles({ seed: 43, count: 50 }))).not.toBe(base);
    const later = jsonLines(generateProfiles({ seed: 42, count: 50, now: '2027-06-01T00:00:00Z' }));
    expect(later).not.toBe(base);
  });

  it('makes a smaller count a prefix of a larger one, and slices join up', () => {
    const all = [...generateProfiles({ seed: 7, count: 300 })];
    expect([...generateProfiles({ seed: 7, count: 100 })]).toEqual(all.slice(0, 100));
    expect([
      ...generateProfiles({ seed: 7, count: 150 }),
      ...generateProfiles({ seed: 7, count: 150, start: 150 }),
    ]).toEqual(all);
  });

  it('streams: profiles are made as they are asked for', () => {
    const iterator = generateProfiles({ seed: 1, count: 5_000_000 });
    expect(iterator.next().value).toMatchObject({ profile_id: expect.any(String) });
  });

  it.each([
    [{ seed: -1, count: 1 }, 'demo_data.invalid_seed'],
    [{ seed: 2 ** 32, count: 1 }, 'demo_data.invalid_seed'],
    [{ seed: 1, count: -1 }, 'demo_data.invalid_option'],
    [{ seed: 1, count: 1.5 }, 'demo_data.invalid_option'],
    [{ seed: 1, count: 1, start: -3 }, 'demo_data.invalid_option'],
    [{ seed: 1, count: 1, now: 'yesterday' }, 'demo_data.invalid_option'],
    [{ seed: 1, count: 1, now: '12/01/2026' }, 'demo_data.invalid_option'],
  ])('refuses %p with %s', (options, code) => {
    expect(() => [...generateProfiles(options)]).toThrow(
      expect.objectContaining({ code }) as DemoDataError,
    );
  });
});

describe('generateProfiles: shapes and distributions over 20,000 profiles', () => {
  const profiles = [...generateProfiles({ seed: 2026, count: 20_000 })];
  const attributes = profiles.map((profile) => profile.attributes);
  const share = (test: (a: DemoProfile['attributes']) => boolean) =>
    attributes.filter(test).length / attributes.length;
  const summary = new DistributionSummary(NOW);
  for (const profile of profiles) summary.add(profile);
  const distribution = summary.result();

  it('gives every profile a unique UUID-shaped id', () => {
    const ids = profiles.map((profile) => profile.profile_id);
    expect(new Set(ids).size).toBe(ids.length);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(ids.filter((id) => !uuid.test(id))).toEqual([]);
  });

  it('is plain JSON: nothing is lost in a round trip', () => {
    expect(JSON.parse(JSON.stringify(profiles.slice(0, 2000)))).toEqual(profiles.slice(0, 2000));
  });

  it('skews tiers towards bronze, with some null and some missing', () => {
    const { tier } = distribution;
    expect(tier.gold).toBeGreaterThan(0.09);
    expect(tier.gold).toBeLessThan(0.15);
    expect(tier.bronze).toBeGreaterThan(tier.silver!);
    expect(tier.silver).toBeGreaterThan(tier.gold!);
    expect(tier.gold).toBeGreaterThan(tier.platinum!);
    expect(tier.platinum).toBeGreaterThan(0.02);
    expect(tier.null).toBeGreaterThan(0.07);
    expect(tier.missing).toBeGreaterThan(0.03);
  });

  it('gives emails derived from the names at reserved domains, some null, some missing', () => {
    const emails = attributes.flatMap((a) => (typeof a.email === 'string' ? [a] : []));
    const domain = '@(example\\.com|example\\.net|example\\.org|mail\\.example|inbox\\.test)$';
    const shape = new RegExp(`^([a-z]+([._]?[a-z]+)?\\d{0,2}|member\\.[0-9a-f]{8})${domain}`);
    expect(emails.filter((a) => !shape.test(a.email!))).toEqual([]);
    const named = emails.filter((a) => a.last_name === 'Nguyen' && a.first_name === 'Olivia');
    expect(named.length).toBeGreaterThan(0);
    for (const a of named) expect(a.email).toMatch(/^(olivia|o)[._]?nguyen\d*@/);
    expect(distribution.email.null).toBeGreaterThan(0.03);
    expect(distribution.email.missing).toBeGreaterThan(0.07);
  });

  it('gives birth dates that exist, in a plausible range, some without year or missing', () => {
    const impossible = attributes.filter((a) => {
      if (typeof a.birth_month !== 'number') return false;
      const year = a.birth_year ?? 2000;
      const date = new Date(Date.UTC(year, a.birth_month - 1, a.birth_day!));

      return (
        a.birth_month < 1 ||
        a.birth_month > 12 ||
        year < 2026 - 90 ||
        year > 2026 - 18 ||
        date.getUTCDate() !== a.birth_day
      );
    });
    expect(impossible).toEqual([]);
    expect(share((a) => typeof a.birth_month === 'number' && !('birth_year' in a))).toBeGreaterThan(
      0.03,
    );
    expect(distribution.birth_year.missing).toBeGreaterThan(0.15);
    expect(distribution.birth_year.null).toBeGreaterThan(0.02);
  });

  it('gives sparse tags: most profiles none to two, from the retail list', () => {
    expect(distribution.with_tags).toBeGreaterThan(0.3);
    expect(distribution.with_tags).toBeLessThan(0.6);
    expect(share((a) => a.flattened_tags.length <= 2)).toBeGreaterThan(0.9);
    expect(Object.keys(distribution.tags).sort()).toEqual(
      [
        'b2b',
        'beauty',
        'gift-card',
        'home',
        'kids',
        'newsletter',
        'outdoor',
        'sale-hunter',
        'staff',
        'sustainability',
        'vegan',
        'vip',
      ].sort(),
    );
    expect(
      attributes.filter((a) => new Set(a.flattened_tags).size !== a.flattened_tags.length),
    ).toEqual([]);
    expect(share((a) => a.flattened_statuses.includes('active'))).toBeGreaterThan(0.8);
  });

  it('spreads joins over ten years, more of them recent, a few in the last 30 days', () => {
    const ages = attributes.map((a) => (NOW - Date.parse(a.joined_at)) / DAY);
    expect(Math.min(...ages)).toBeGreaterThan(0);
    expect(Math.max(...ages)).toBeLessThanOrEqual(3650);
    expect(distribution.joined_last_30_days).toBeGreaterThan(0.03);
    expect(distribution.joined_last_30_days).toBeLessThan(0.1);
    const lastYear = ages.filter((age) => age <= 365).length;
    const tenthYear = ages.filter((age) => age > 3285).length;
    expect(lastYear).toBeGreaterThan(3 * tenthYear);
    for (const a of attributes.slice(0, 100)) {
      expect(new Date(a.joined_at).toISOString()).toBe(a.joined_at);
    }
  });

  it('skews spend (median far below mean) and keeps the aggregations consistent', () => {
    const { spend_12m: spend } = distribution;
    expect(spend.mean).toBeGreaterThan(2 * spend.median);
    expect(spend.zero).toBeGreaterThan(0.2);
    expect(spend.zero).toBeLessThan(0.45);
    expect(spend.max).toBeGreaterThan(10 * spend.p90);
    expect(distribution.aggregations.null).toBeGreaterThan(0.01);
    expect(distribution.aggregations.missing).toBeGreaterThan(0.01);
    const inconsistent = attributes.filter(({ aggregations: agg }) => {
      if (!agg) return false;
      const atv =
        agg.shop_count === 0 ? null : Math.round((agg.spend_12m / agg.shop_count) * 100) / 100;

      return (
        agg.spend_all < agg.spend_12m ||
        agg.spend_12m < 0 ||
        (agg.shop_count === 0 && agg.spend_12m !== 0) ||
        agg.spend_atv_12m !== atv ||
        !Number.isInteger(agg.shop_count) ||
        !Number.isInteger(Math.round(agg.spend_all * 100))
      );
    });
    expect(inconsistent).toEqual([]);
    const lapsed = share((a) => a.aggregations?.shop_count === 0 && a.aggregations.spend_all > 0);
    expect(lapsed).toBeGreaterThan(0.05);
  });

  it('spends more in higher tiers', () => {
    const meanSpend = (tier: string) => {
      const spends = attributes
        .filter((a) => a.tier_handle === tier && a.aggregations)
        .map((a) => a.aggregations!.spend_12m);

      return spends.reduce((sum, value) => sum + value, 0) / spends.length;
    };
    expect(meanSpend('platinum')).toBeGreaterThan(meanSpend('gold'));
    expect(meanSpend('gold')).toBeGreaterThan(meanSpend('silver'));
    expect(meanSpend('silver')).toBeGreaterThan(meanSpend('bronze'));
  });

  it('gives balances: rewards in whole amounts, points as integers, some null', () => {
    const odd = attributes.filter(
      (a) =>
        (a.reward_balance !== null && a.reward_balance % 5 !== 0) ||
        (a.point_balance !== null && !Number.isInteger(a.point_balance)),
    );
    expect(odd).toEqual([]);
    expect(share((a) => a.reward_balance === null)).toBeGreaterThan(0.04);
    expect(share((a) => a.reward_balance === 0)).toBeGreaterThan(0.4);
    expect(share((a) => a.point_balance === null)).toBeGreaterThan(0.04);
  });

  it('gives comms flags under attributes.comms: true, false, null and missing', () => {
    const flags = attributes.map((a) => a.attributes.comms?.sms_promo_opt_in);
    expect(flags).toContain(true);
    expect(flags).toContain(false);
    expect(flags).toContain(null);
    expect(
      share((a) => a.attributes.comms !== undefined && !('sms_promo_opt_in' in a.attributes.comms)),
    ).toBeGreaterThan(0.05);
    expect(share((a) => a.attributes.comms === undefined)).toBeGreaterThan(0.01);
    expect(distribution.email_promo_opt_in.true).toBeGreaterThan(0.45);
    expect(distribution.email_promo_opt_in.true).toBeLessThan(0.65);
  });
});

const GOLDEN_SHA256 = '45b8310fc6bef08d401427d0baf809fa2fb0bb16e3c209f17b289ec882d27ffd';
