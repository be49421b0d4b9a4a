import { randomUUID } from 'node:crypto';

import {
  checkEventData,
  EVENT_CATALOGUE,
  type EnvelopeOf,
  type EventEnvelope,
  type JsonObject,
  profileInputProblem,
  profileStream,
  type ProfileUpserted,
} from '@profile-groups/contracts';
import { KafkaEventPublisher } from '@profile-groups/messaging';
import { type Kafka } from 'kafkajs';

import { DemoDataError } from './demo-data.errors';
import { type DemoProfile } from './profile-generator';

export const DEMO_SOURCE = '/demo-data';

export interface PublishProfilesOptions {
  /** Profiles handed to the publisher at a time (default 5000); memory holds one batch. */
  readonly batchSize?: number;
  /** `upserted_at` and event time of every profile (default: when publishing starts). */
  readonly at?: Date;
  /** Shared by every event of the load, so its log lines can be found (default: random). */
  readonly correlationId?: string;
  /** Called after each batch is acknowledged by the broker. */
  readonly onProgress?: (published: number) => void;
}

export interface PublishProfilesResult {
  readonly published: number;
  readonly correlationId: string;
}

/**
 * Publishes each profile as a `ProfileUpserted` event on `<topicPrefix>profiles`, the way
 * the platform that owns profiles does: CloudEvents binary mode, keyed by the profile's
 * stream, through the project's idempotent publisher (acks from all replicas, one
 * request in flight, so each key keeps its order). Every event is first checked as the
 * evaluation worker checks it (published schema, profile input rules); a profile that
 * would be dead-lettered stops the load with `demo_data.invalid_profile` before its batch
 * is sent. The topic must exist (the apps create it at start).
 *
 * Each call publishes new events (fresh ids), so loading the same profiles twice gives
 * every profile a second version in the worker's store, with the same attributes. The
 * stream version is always 1: the worker orders profile input by partition offset.
 */
export async function publishProfiles(
  kafka: Kafka,
  topicPrefix: string,
  profiles: Iterable<DemoProfile> | AsyncIterable<DemoProfile>,
  options: PublishProfilesOptions = {},
): Promise<PublishProfilesResult> {
  const at = options.at ?? new Date();
  const correlationId = options.correlationId ?? randomUUID();
  const published = await publishInBatches(
    kafka,
    topicPrefix,
    mapEach(profiles, (profile) => profileUpsertedEvent(profile, at, correlationId)),
    options,
  );

  return { published, correlationId };
}

/**
 * Hands events to the project's publisher `batchSize` at a time (memory holds one
 * batch) and resolves with how many the broker acknowledged.
 */
export async function publishInBatches(
  kafka: Kafka,
  topicPrefix: string,
  events: Iterable<EventEnvelope> | AsyncIterable<EventEnvelope>,
  options: Pick<PublishProfilesOptions, 'batchSize' | 'onProgress'> = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 5000;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new DemoDataError('demo_data.invalid_option', 'batchSize must be 1 or more');
  }
  const publisher = new KafkaEventPublisher(kafka, topicPrefix, DEMO_SOURCE);
  let published = 0;
  let batch: EventEnvelope[] = [];
  const flush = async () => {
    await publisher.publish(batch);
    published += batch.length;
    batch = [];
    options.onProgress?.(published);
  };
  try {
    for await (const event of events) {
      batch.push(event);
      if (batch.length >= batchSize) await flush();
    }
    if (batch.length > 0) await flush();
  } finally {
    await publisher.disconnect();
  }

  return published;
}

async function* mapEach<T, U>(
  items: Iterable<T> | AsyncIterable<T>,
  map: (item: T) => U,
): AsyncGenerator<U> {
  for await (const item of items) yield map(item);
}

/** The `ProfileUpserted` envelope of one profile; throws if the worker would refuse it. */
export function profileUpsertedEvent(
  profile: DemoProfile,
  at: Date,
  correlationId: string,
): EnvelopeOf<ProfileUpserted> {
  // The generated attributes are JSON by construction: strings, numbers, booleans, null.
  const attributes = profile.attributes as unknown as JsonObject;
  const event: EnvelopeOf<ProfileUpserted> = {
    id: randomUUID(),
    type: 'ProfileUpserted',
    schema_version: EVENT_CATALOGUE.ProfileUpserted.schemaVersion,
    stream: profileStream(profile.profile_id),
    stream_version: 1,
    time: at.toISOString(),
    correlation_id: correlationId,
    causation_id: null,
    actor: 'demo-data',
    data: { profile_id: profile.profile_id, attributes, upserted_at: at.toISOString() },
  };
  const check = checkEventData(event.type, event.schema_version, event.data);
  const problem = check.ok ? profileInputProblem(profile.profile_id, attributes) : check.reason;
  if (problem !== null) {
    throw new DemoDataError(
      'demo_data.invalid_profile',
      `profile ${profile.profile_id} would be dead-lettered: ${problem}`,
    );
  }

  return event;
}
