import { type Logger } from '@profile-groups/observability';
import { createKafka, ensureTopics } from '@profile-groups/messaging';
import { TOPICS, topicName, type TopicKey } from '@profile-groups/contracts';
import { type Kafka } from 'kafkajs';
import { type Db, MongoClient } from 'mongodb';

export interface PlatformSettings {
  readonly MONGODB_URL: string;
  readonly MONGODB_DATABASE: string;
  readonly KAFKA_BROKERS: readonly string[];
  readonly KAFKA_CLIENT_ID: string;
  readonly KAFKA_TOPIC_PREFIX: string;
  readonly KAFKA_TOPIC_PARTITIONS: number;
}

/** The connections every app holds: one MongoDB client and one Kafka client. */
export interface Platform {
  readonly mongo: MongoClient;
  readonly db: Db;
  readonly kafka: Kafka;
  close(): Promise<void>;
}

export async function connectPlatform(
  settings: PlatformSettings,
  app: string,
  logger: Logger,
): Promise<Platform> {
  const mongo = new MongoClient(settings.MONGODB_URL, {
    serverSelectionTimeoutMS: 10_000,
    appName: app,
  });
  await mongo.connect();
  const kafka = createKafka(
    { brokers: settings.KAFKA_BROKERS, clientId: `${settings.KAFKA_CLIENT_ID}.${app}` },
    logger,
  );

  return {
    mongo,
    db: mongo.db(settings.MONGODB_DATABASE),
    kafka,
    close: () => mongo.close(),
  };
}

/**
 * Where a command will act, in one line without credentials: operators run the ops
 * commands against more than one system, and the defaults point at localhost.
 */
export function describeTargets(
  settings: PlatformSettings,
  topics = `${settings.KAFKA_TOPIC_PREFIX}*`,
): string {
  // Hosts only: a connection string may carry a password, and several hosts.
  const hosts = /^([a-z+]+:\/\/)(?:[^@/]*@)?([^/?]*)/i.exec(settings.MONGODB_URL);
  const database = hosts === null ? '(unparsable MONGODB_URL)' : `${hosts[1]}${hosts[2]}`;

  return (
    `MongoDB ${database} database ${settings.MONGODB_DATABASE}, ` +
    `Kafka ${settings.KAFKA_BROKERS.join(',')} topics ${topics}`
  );
}

/** Creates every topic of the catalogue that is missing, with the configured partitions. */
export async function ensureAllTopics(
  platform: Platform,
  settings: PlatformSettings,
): Promise<void> {
  const topics = (Object.keys(TOPICS) as TopicKey[]).map((key) =>
    topicName(settings.KAFKA_TOPIC_PREFIX, key),
  );
  await ensureTopics(platform.kafka, topics, settings.KAFKA_TOPIC_PARTITIONS);
}

/** `detail` holds counts an operator should see even while the check is up. */
export type CheckStatus = (
  | { readonly status: 'up' }
  | { readonly status: 'down'; readonly error: string }
) & { readonly detail?: Readonly<Record<string, number>> };

export interface HealthReport {
  readonly status: 'ok' | 'error';
  readonly checks: Record<string, CheckStatus>;
}

/** Pings MongoDB and asks Kafka for its cluster, each within a short timeout. */
export async function checkConnectivity(
  platform: Platform,
  extra: Record<string, CheckStatus> = {},
): Promise<HealthReport> {
  const [mongodb, kafka] = await Promise.all([
    probe(() => platform.db.command({ ping: 1 })),
    probe(async () => {
      const admin = platform.kafka.admin();
      await admin.connect();
      try {
        await admin.describeCluster();
      } finally {
        await admin.disconnect();
      }
    }),
  ]);
  const checks = { mongodb, kafka, ...extra };
  const healthy = Object.values(checks).every((check) => check.status === 'up');

  return { status: healthy ? 'ok' : 'error', checks };
}

/** What health needs of a Kafka consumer (the messaging library's ConsumerHealth). */
export interface ConsumerStatus {
  readonly running: boolean;
  readonly crashed: string | null;
  readonly restarting: boolean;
}

/** A Kafka consumer as a health check: up while it runs and is not down after a crash. */
export function consumerCheck(health: ConsumerStatus | null): CheckStatus {
  if (health?.running && health.crashed === null) return { status: 'up' };
  if (typeof health?.crashed === 'string') {
    const state = health.restarting ? 'restarting after a crash' : 'crashed';

    return { status: 'down', error: `${state}: ${health.crashed}` };
  }

  return { status: 'down', error: 'not running' };
}

export type LivenessBody =
  | { readonly status: 'ok' }
  | { readonly status: 'restarting'; readonly error: string }
  | { readonly status: 'error'; readonly error: string };

/**
 * Liveness of a consuming app: down only when a consumer crashed and nothing restarts
 * it, which a process restart fixes. One being restarted in-process answers 200 with
 * status `restarting` (a process restart would do the same, later). A Kafka or
 * MongoDB outage is readiness's business: a restart would not help.
 */
export function liveness(consumers: readonly (ConsumerStatus | null | undefined)[]): {
  readonly httpStatus: 200 | 503;
  readonly body: LivenessBody;
} {
  const down = consumers.filter(
    (health): health is ConsumerStatus & { crashed: string } => typeof health?.crashed === 'string',
  );
  const dead = down.find((health) => !health.restarting);
  if (dead) return { httpStatus: 503, body: { status: 'error', error: dead.crashed } };
  const [restarting] = down;
  if (restarting) {
    return { httpStatus: 200, body: { status: 'restarting', error: restarting.crashed } };
  }

  return { httpStatus: 200, body: { status: 'ok' } };
}

async function probe(check: () => Promise<unknown>, timeoutMs = 3000): Promise<CheckStatus> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);

    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
