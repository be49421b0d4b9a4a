import { bool, int, list, oneOf, str } from './env-config';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** Variables every app reads. */
export const COMMON_VARIABLES = {
  LOG_LEVEL: oneOf(LOG_LEVELS, {
    default: 'info',
    description: 'Lowest level written to the JSON log.',
  }),
  KAFKA_BROKERS: list({
    default: ['127.0.0.1:9092'],
    description: 'Comma-separated host:port list of Kafka bootstrap brokers.',
  }),
  KAFKA_CLIENT_ID: str({ default: 'profile-groups', description: 'Kafka client id prefix.' }),
  KAFKA_TOPIC_PREFIX: str({
    default: 'profile-groups.',
    pattern: /^[a-zA-Z0-9._-]*$/,
    description: 'Prefix of every topic name (tests use a unique prefix per run).',
  }),
  KAFKA_TOPIC_PARTITIONS: int({
    default: 6,
    min: 1,
    max: 1000,
    description: 'Partitions of each topic the apps create; bounds consumer parallelism.',
  }),
  KAFKA_CONSUMER_GROUP_PREFIX: str({
    default: 'profile-groups.',
    pattern: /^[a-zA-Z0-9._-]*$/,
    description: 'Prefix of consumer group ids; used verbatim, never suffixed.',
  }),
  CONSUMER_MAX_ATTEMPTS: int({
    default: 5,
    min: 1,
    max: 100,
    description:
      'Attempts for a message whose handler fails transiently before it is dead-lettered.',
  }),
  CONSUMER_RETRY_BASE_MS: int({
    default: 200,
    min: 1,
    max: 60_000,
    description: 'First retry delay; doubles each attempt (with jitter), capped at 30 s.',
  }),
  EVENT_MAX_BYTES: int({
    // DEFAULT_MAX_EVENT_BYTES of the event store.
    default: 524_288,
    min: 4096,
    max: 8_388_608,
    description:
      'Largest event the event store appends, in bytes of its published Kafka record ' +
      '(key, JSON value and headers as UTF-8); a command whose event is larger gets 413. ' +
      'Keep it below KAFKA_MAX_MESSAGE_BYTES.',
  }),
  MONGODB_URL: str({
    default: 'mongodb://127.0.0.1:27017/',
    secret: true,
    description: 'MongoDB connection string (FerretDB locally).',
  }),
  MONGODB_DATABASE: str({
    default: 'profile-groups',
    pattern: /^[a-zA-Z0-9_-]+$/,
    description: 'Database holding the event store and the read models.',
  }),
} as const;

/** Where an app's HTTP server listens. */
export function httpVariables(defaultPort: number, what: string) {
  return {
    PORT: int({ default: defaultPort, min: 0, max: 65535, description: `HTTP port of ${what}.` }),
    HOST: str({
      default: '127.0.0.1',
      description: `Address ${what} binds to; 0.0.0.0 in a container.`,
    }),
  };
}

export const RELAY_VARIABLES = {
  PROJECTIONS_ENABLED: bool({
    default: true,
    description:
      'Consume Kafka into the read models in this process (false: a relay-only process).',
  }),
  RELAY_ENABLED: bool({
    default: true,
    description: 'Run the outbox relay that publishes stored events to Kafka in this process.',
  }),
  RELAY_POLL_INTERVAL_MS: int({
    default: 50,
    min: 5,
    max: 10_000,
    description: 'Pause between outbox polls while it is empty.',
  }),
  KAFKA_MAX_MESSAGE_BYTES: int({
    // The broker's default message.max.bytes is 1,048,588.
    default: 1_048_576,
    min: 65_536,
    max: 67_108_864,
    description:
      "Largest record batch the relay sends in one produce request: the broker's " +
      "message.max.bytes, or a topic's smaller max.message.bytes. An event that cannot fit " +
      'alone is dead-lettered (outbox_dead_letters). The consumer cuts down a dead-letter ' +
      'copy larger than this.',
  }),
  RELAY_INTENT_GRACE_MS: int({
    default: 30_000,
    min: 100,
    max: 600_000,
    description: 'Age after which an unconfirmed outbox intent is checked against the event store.',
  }),
} as const;
