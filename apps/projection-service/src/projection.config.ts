import {
  COMMON_VARIABLES,
  ConfigError,
  httpVariables,
  type ConfigOf,
  parseConfig,
  RELAY_VARIABLES,
} from '@profile-groups/config';
import { RECORD_BATCH_OVERHEAD_BYTES, type TopicKey } from '@profile-groups/contracts';

export const PROJECTION_VARIABLES = {
  ...COMMON_VARIABLES,
  ...RELAY_VARIABLES,
  ...httpVariables(3002, 'the health endpoint'),
} as const;

export type ProjectionConfig = ConfigOf<typeof PROJECTION_VARIABLES>;

/** Parses the environment; throws a ConfigError listing every bad value. */
export function loadProjectionConfig(
  env: Record<string, string | undefined> = process.env,
): ProjectionConfig {
  const config = parseConfig(PROJECTION_VARIABLES, env);
  // An event the store accepts must fit a produce request of the relay on its own.
  const largestBatch = config.EVENT_MAX_BYTES + RECORD_BATCH_OVERHEAD_BYTES;
  if (config.RELAY_ENABLED && largestBatch > config.KAFKA_MAX_MESSAGE_BYTES) {
    throw new ConfigError([
      `EVENT_MAX_BYTES=${config.EVENT_MAX_BYTES} leaves no room below ` +
        `KAFKA_MAX_MESSAGE_BYTES=${config.KAFKA_MAX_MESSAGE_BYTES}: an event that large ` +
        `and its ${RECORD_BATCH_OVERHEAD_BYTES}-byte batch header would be dead-lettered.`,
    ]);
  }

  return config;
}

export function projectionGroupId(config: ProjectionConfig): string {
  return `${config.KAFKA_CONSUMER_GROUP_PREFIX}projection-service`;
}

/**
 * The topics the read models come from. Profile input feeds only the worker: the
 * profiles topic is not consumed here.
 */
export const PROJECTED_TOPICS: readonly TopicKey[] = [
  'groupDefinitions',
  'ruleDefinitions',
  'evaluations',
  'memberships',
];
