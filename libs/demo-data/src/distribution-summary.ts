import { type ConnectionType, type DemoConnection } from './connection-generator';
import { type DemoProfile } from './profile-generator';

type Presence = 'present' | 'null' | 'missing';

export interface ProfileDistribution {
  profiles: number;
  /** Shares of profiles; `null` and `missing` are tiers too. */
  tier: Record<string, number>;
  email: Record<Presence, number>;
  birth_year: Record<Presence, number>;
  with_tags: number;
  tags_per_profile: number;
  tags: Record<string, number>;
  joined_last_30_days: number;
  aggregations: Record<Presence, number>;
  /** Over profiles with aggregations. */
  spend_12m: { zero: number; median: number; mean: number; p90: number; max: number };
  email_promo_opt_in: Record<string, number>;
}

/** Counts distributions while profiles stream past; `result()` gives shares. */
export class DistributionSummary {
  private profiles = 0;
  private readonly counts = new Map<string, number>();
  private readonly spend: number[] = [];
  private tagTotal = 0;

  constructor(private readonly now: number) {}

  add(profile: DemoProfile): void {
    const a = profile.attributes;
    this.profiles++;
    this.count(`tier.${label(a, 'tier_handle')}`);
    this.count(`email.${presence(a, 'email')}`);
    this.count(`birth_year.${presence(a, 'birth_year')}`);
    this.count(`aggregations.${presence(a, 'aggregations')}`);
    this.count(`email_promo_opt_in.${label(a.attributes.comms ?? {}, 'email_promo_opt_in')}`);
    if (a.flattened_tags.length > 0) this.count('with_tags');
    for (const tag of a.flattened_tags) this.count(`tags.${tag}`);
    this.tagTotal += a.flattened_tags.length;
    if (this.now - Date.parse(a.joined_at) <= 30 * 86_400_000) this.count('joined_last_30_days');
    if (a.aggregations) this.spend.push(a.aggregations.spend_12m);
  }

  result(): ProfileDistribution {
    const spend = [...this.spend].sort((x, y) => x - y);
    const at = (q: number) => spend[Math.min(spend.length - 1, Math.floor(q * spend.length))] ?? 0;
    const sum = spend.reduce((total, value) => total + value, 0);

    return {
      profiles: this.profiles,
      tier: this.shares('tier'),
      email: this.presence('email'),
      birth_year: this.presence('birth_year'),
      with_tags: this.share('with_tags'),
      tags_per_profile: round(this.tagTotal / Math.max(1, this.profiles)),
      tags: this.shares('tags'),
      joined_last_30_days: this.share('joined_last_30_days'),
      aggregations: this.presence('aggregations'),
      spend_12m: {
        zero: round(spend.filter((value) => value === 0).length / Math.max(1, spend.length)),
        median: at(0.5),
        mean: Math.round((sum / Math.max(1, spend.length)) * 100) / 100,
        p90: at(0.9),
        max: spend[spend.length - 1] ?? 0,
      },
      email_promo_opt_in: this.shares('email_promo_opt_in'),
    };
  }

  private count(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  private share(key: string): number {
    return round((this.counts.get(key) ?? 0) / Math.max(1, this.profiles));
  }

  private shares(prefix: string): Record<string, number> {
    const entries = [...this.counts.keys()]
      .filter((key) => key.startsWith(`${prefix}.`))
      .sort()
      .map((key) => [key.slice(prefix.length + 1), this.share(key)] as const);

    return Object.fromEntries(entries);
  }

  private presence(prefix: string): Record<Presence, number> {
    return {
      present: this.share(`${prefix}.present`),
      null: this.share(`${prefix}.null`),
      missing: this.share(`${prefix}.missing`),
    };
  }
}

/** Connections per type and per status. */
export function summarizeConnections(connections: readonly DemoConnection[]) {
  const byType: Partial<Record<ConnectionType, number>> = {};
  const byStatus: Record<string, number> = {};
  for (const connection of connections) {
    byType[connection.type] = (byType[connection.type] ?? 0) + 1;
    byStatus[connection.status] = (byStatus[connection.status] ?? 0) + 1;
  }

  return { connections: connections.length, by_type: byType, by_status: byStatus };
}

function presence(record: object, key: string): Presence {
  if (!(key in record)) return 'missing';

  return (record as Record<string, unknown>)[key] === null ? 'null' : 'present';
}

function label(record: object, key: string): string {
  if (!(key in record)) return 'missing';

  return String((record as Record<string, unknown>)[key]);
}

function round(share: number): number {
  return Math.round(share * 10_000) / 10_000;
}
