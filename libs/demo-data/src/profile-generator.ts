import { DemoDataError } from './demo-data.errors';
import { assertSeed, SeededRandom } from './seeded-random';
import {
  EMAIL_DOMAINS,
  emailWord,
  FIRST_NAMES,
  LAST_NAMES,
  REWARD_AMOUNTS,
  STATUS_WEIGHTS,
  TAG_COUNT_WEIGHTS,
  TAG_WEIGHTS,
  type Tier,
  TIER_SPEND,
  TIER_WEIGHTS,
} from './vocabulary';

/** `now` when none is given: fixed, so that the same seed gives the same profiles. */
export const DEFAULT_NOW = '2026-12-01T00:00:00.000Z';
export const MAX_PROFILES = 10_000_000;

const DAY_MS = 86_400_000;
const HISTORY_DAYS = 3650;

export interface DemoAggregations {
  spend_12m: number;
  spend_all: number;
  /** spend_12m / shop_count, or null without a shop in the last 12 months. */
  spend_atv_12m: number | null;
  shop_count: number;
}

export interface DemoComms {
  email_promo_opt_in?: boolean | null;
  sms_promo_opt_in?: boolean | null;
  mail_opt_in?: boolean | null;
}

/**
 * A profile's data in the shape of an Omneo profile. A key that is absent was never
 * captured; null was captured as unknown or erased. Both occur on purpose.
 */
export interface DemoProfileAttributes {
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  tier_handle?: Tier | null;
  birth_day?: number | null;
  birth_month?: number | null;
  birth_year?: number | null;
  flattened_tags: string[];
  flattened_statuses: string[];
  reward_balance: number | null;
  point_balance: number | null;
  joined_at: string;
  aggregations?: DemoAggregations | null;
  attributes: { comms?: DemoComms };
}

export interface DemoProfile {
  profile_id: string;
  attributes: DemoProfileAttributes;
}

export interface GenerateProfilesOptions {
  /** An integer from 0 to 2^32 - 1. */
  readonly seed: number;
  readonly count: number;
  /** The instant "recent" is measured from (joins, ages); DEFAULT_NOW when omitted. */
  readonly now?: Date | string;
  /** The index of the first profile (default 0), to generate a large set in slices. */
  readonly start?: number;
}

/**
 * Omneo-shaped profiles, one at a time. Profile n depends only on (seed, n, now): the
 * same options give byte-identical JSON on every platform, and a smaller count gives a
 * prefix of a larger one.
 */
export function* generateProfiles(options: GenerateProfilesOptions): Generator<DemoProfile> {
  const { seed, count, start = 0 } = options;
  assertSeed(seed);
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_PROFILES) {
    throw new DemoDataError(
      'demo_data.invalid_option',
      `count must be an integer from 0 to ${MAX_PROFILES}, got ${count}`,
    );
  }
  if (!Number.isSafeInteger(start) || start < 0 || start + count > MAX_PROFILES) {
    throw new DemoDataError('demo_data.invalid_option', `start must be 0 or more, got ${start}`);
  }
  const now = instant(options.now ?? DEFAULT_NOW);
  for (let index = start; index < start + count; index++) {
    yield generateProfile(seed, index, now);
  }
}

/** Profile number `index` of the seed's sequence, relative to `now` in epoch milliseconds. */
export function generateProfile(seed: number, index: number, now: number): DemoProfile {
  const random = new SeededRandom(seed, index);
  const profileId = random.uuid();
  const firstName = present(random, random.pick(FIRST_NAMES), 0.02, 0.01);
  const lastName = present(random, random.pick(LAST_NAMES), 0.03, 0.01);
  const tier = random.weighted<Tier | null | undefined>(TIER_WEIGHTS);
  const joinedAt = joinedAtMs(random, now);
  const aggregations = generateAggregations(random, tier ?? 'none', now - joinedAt);

  const attributes: DemoProfileAttributes = {
    first_name: firstName,
    last_name: lastName,
    email: present(random, email(random, firstName, lastName, profileId), 0.05, 0.1),
    tier_handle: tier,
    ...birthDate(random, now),
    flattened_tags: tags(random, tier),
    flattened_statuses: [...random.weighted<readonly string[]>(STATUS_WEIGHTS)],
    reward_balance: random.chance(0.08)
      ? null
      : random.chance(0.6)
        ? 0
        : random.pick(REWARD_AMOUNTS),
    point_balance: random.chance(0.08) ? null : points(random, tier ?? 'none', aggregations),
    joined_at: new Date(joinedAt).toISOString(),
    aggregations,
    attributes: random.chance(0.02) ? {} : { comms: comms(random) },
  };
  dropUndefined(attributes);

  return { profile_id: profileId, attributes };
}

/** The value, or null with probability `nullShare`, or undefined (absent) with `missingShare`. */
function present<T>(
  random: SeededRandom,
  value: T,
  nullShare: number,
  missingShare: number,
): T | null | undefined {
  const draw = random.next();
  if (draw < nullShare) return null;
  if (draw < nullShare + missingShare) return undefined;

  return value;
}

function email(
  random: SeededRandom,
  first: string | null | undefined,
  last: string | null | undefined,
  profileId: string,
): string {
  const domain = random.weighted(EMAIL_DOMAINS);
  const given = first ? emailWord(first) : '';
  const family = last ? emailWord(last) : '';
  const digits = String(random.int(1, 99));
  if (given === '' && family === '') return `member.${profileId.slice(0, 8)}@${domain}`;
  if (given === '' || family === '') return `${given || family}${digits}@${domain}`;
  const local = random.weighted<string>([
    [`${given}.${family}`, 40],
    [`${given}${family}`, 15],
    [`${given[0]}.${family}`, 15],
    [`${given}_${family}`, 10],
    [`${given}.${family}${digits}`, 20],
  ]);

  return `${local}@${domain}`;
}

/** Joins over ten years, denser towards `now`; about one in twenty in the last 30 days. */
function joinedAtMs(random: SeededRandom, now: number): number {
  if (random.chance(0.05)) return now - Math.floor(random.next() * 30 * DAY_MS) - 1;
  const u = random.next();
  const ageDays = 30 + (HISTORY_DAYS - 30) * u * u;

  return now - Math.floor(ageDays * DAY_MS);
}

function birthDate(random: SeededRandom, now: number): Partial<DemoProfileAttributes> {
  const shape = random.weighted<'none' | 'null' | 'no_year' | 'full'>([
    ['none', 18],
    ['null', 4],
    ['no_year', 6],
    ['full', 72],
  ]);
  const age = Math.min(90, Math.max(18, Math.floor(random.logNormal(38, 0.3))));
  const year = new Date(now).getUTCFullYear() - age;
  const month = random.int(1, 12);
  // Without a year, 29 February stays possible.
  const day = random.int(1, daysInMonth(shape === 'full' ? year : 2000, month));
  switch (shape) {
    case 'none':
      return {};
    case 'null':
      return { birth_day: null, birth_month: null, birth_year: null };
    case 'no_year':
      return { birth_day: day, birth_month: month };
    case 'full':
      return { birth_day: day, birth_month: month, birth_year: year };
    default: {
      const unreachable: never = shape;

      return unreachable;
    }
  }
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function tags(random: SeededRandom, tier: Tier | null | undefined): string[] {
  const count = random.weighted<number>(TAG_COUNT_WEIGHTS);
  const pool: (readonly [string, number])[] = [...TAG_WEIGHTS];
  const chosen: string[] = [];
  while (chosen.length < count) {
    const tag = random.weighted(pool);
    chosen.push(tag);
    pool.splice(
      pool.findIndex(([name]) => name === tag),
      1,
    );
  }
  const vipChance = tier === 'platinum' ? 0.5 : tier === 'gold' ? 0.15 : 0;
  if (random.chance(vipChance) && !chosen.includes('vip')) chosen.push('vip');

  return chosen;
}

/**
 * Skewed like retail spend: visits and basket are log-normal, so a few customers
 * spend most; a third did not shop in the last year; older members bought before.
 */
function generateAggregations(
  random: SeededRandom,
  tier: Tier | 'none',
  tenureMs: number,
): DemoAggregations | null | undefined {
  const shape = random.weighted<'missing' | 'null' | 'present'>([
    ['missing', 3],
    ['null', 2],
    ['present', 95],
  ]);
  const factors = TIER_SPEND[tier];
  const shopped = random.chance(tenureMs < 30 * DAY_MS ? 0.45 : 0.68);
  const shopCount = shopped
    ? Math.min(250, 1 + Math.floor(random.logNormal(1.6 * factors.visits, 0.9)))
    : 0;
  const basket = random.logNormal(55 * factors.basket, 0.65);
  const spend12m = shopped ? cents(basket * shopCount) : 0;
  const years = tenureMs / (365 * DAY_MS);
  const before =
    years > 1 && random.chance(0.75)
      ? random.logNormal(90 * factors.basket * factors.visits * Math.min(years, 8), 1)
      : 0;
  if (shape !== 'present') return shape === 'null' ? null : undefined;

  return {
    spend_12m: spend12m,
    spend_all: cents(spend12m + before),
    spend_atv_12m: shopCount > 0 ? cents(spend12m / shopCount) : null,
    shop_count: shopCount,
  };
}

function points(
  random: SeededRandom,
  tier: Tier | 'none',
  aggregations: DemoAggregations | null | undefined,
): number {
  const earned = (aggregations?.spend_12m ?? random.logNormal(80, 1)) * (tier === 'none' ? 1 : 2);

  return Math.floor(earned * random.next());
}

function comms(random: SeededRandom): DemoComms {
  const flag = (yes: number, no: number, unknown: number): boolean | null | undefined =>
    random.weighted<boolean | null | undefined>([
      [true, yes],
      [false, no],
      [null, unknown],
      [undefined, 100 - yes - no - unknown],
    ]);
  const result: DemoComms = {
    email_promo_opt_in: flag(55, 35, 7),
    sms_promo_opt_in: flag(25, 50, 15),
    mail_opt_in: flag(15, 60, 15),
  };
  dropUndefined(result);

  return result;
}

function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

function dropUndefined(record: object): void {
  const fields = record as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (fields[key] === undefined) delete fields[key];
  }
}

// Date.parse is only specified for the ISO 8601 form; anything else could parse differently.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function instant(value: Date | string): number {
  const ms =
    value instanceof Date ? value.getTime() : ISO_INSTANT.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) {
    throw new DemoDataError(
      'demo_data.invalid_option',
      `now is not a valid ISO 8601 instant: ${String(value)}`,
    );
  }

  return ms;
}
