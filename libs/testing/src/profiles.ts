import { randomUUID } from 'node:crypto';

import {
  EVENT_CATALOGUE,
  type EventEnvelope,
  type JsonObject,
  profileStream,
} from '@profile-groups/contracts';
import { KafkaEventPublisher } from '@profile-groups/messaging';
import { type Kafka } from 'kafkajs';

const TIERS = ['bronze', 'silver', 'gold', 'platinum'] as const;
const TAGS = ['vip', 'newsletter', 'outdoor', 'kids', 'beauty', 'home', 'sale-hunter', 'b2b'];
const REGIONS = ['north', 'south', 'east', 'west', null] as const;
const DAY = 86_400_000;

/** A small seeded generator (mulberry32): the same seed always gives the same profiles. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A retail customer profile with the untidiness of real data: some fields missing or
 * null, spend sometimes a string, tags sometimes empty, consent flags absent.
 */
export type GeneratedProfile = JsonObject & { profile_id: string };

export function generateProfile(
  index: number,
  seed = 1,
  now = Date.UTC(2026, 11, 1),
): GeneratedProfile {
  const random = seededRandom(seed * 1_000_003 + index);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const spend = Math.round(random() * 500_000) / 100;
  const tags = TAGS.filter(() => random() < 0.2);
  const profile: GeneratedProfile = {
    profile_id: profileId(index),
    first_name: pick(['Ana', 'Ben', 'Chloé', 'Dev', 'Eun-ji', 'Femi', 'Gus', 'Hana']),
    tier: pick(TIERS),
    tags,
    total_spend: random() < 0.1 ? spend.toFixed(2) : spend,
    orders_count: Math.floor(random() * 40),
    joined_at: new Date(now - Math.floor(random() * 1500 * DAY)).toISOString(),
    last_purchase_at:
      random() < 0.15 ? null : new Date(now - Math.floor(random() * 400 * DAY)).toISOString(),
    region: pick(REGIONS),
    consent: { email: random() < 0.7, sms: random() < 0.3 },
  };
  if (random() < 0.05) delete profile.consent;
  if (random() < 0.05) delete profile.tier;

  return profile;
}

export function profileId(index: number): string {
  return `profile-${String(index).padStart(6, '0')}`;
}

/** A ProfileUpserted envelope as the platform that owns profiles would publish it. */
export function profileUpserted(attributes: GeneratedProfile, at = new Date()): EventEnvelope {
  const id = attributes.profile_id;

  return {
    id: randomUUID(),
    type: 'ProfileUpserted',
    schema_version: EVENT_CATALOGUE.ProfileUpserted.schemaVersion,
    stream: profileStream(id),
    stream_version: 1,
    time: at.toISOString(),
    correlation_id: randomUUID(),
    causation_id: null,
    actor: 'profile-platform',
    data: { profile_id: id, attributes, upserted_at: at.toISOString() },
  };
}

/** Publishes profiles on the profiles topic the way an upstream producer does. */
export async function publishProfiles(
  kafka: Kafka,
  topicPrefix: string,
  profiles: readonly GeneratedProfile[],
): Promise<void> {
  const publisher = new KafkaEventPublisher(kafka, topicPrefix, '/profile-platform');
  try {
    for (let i = 0; i < profiles.length; i += 5000) {
      await publisher.publish(profiles.slice(i, i + 5000).map((p) => profileUpserted(p)));
    }
  } finally {
    await publisher.disconnect();
  }
}
