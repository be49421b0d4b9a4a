import {
  COMMON_VARIABLES,
  httpVariables,
  type ConfigOf,
  parseConfig,
  RELAY_VARIABLES,
} from '@profile-groups/config';
import { type TopicKey } from '@profile-groups/contracts';

export const PROJECTION_VARIABLES = {
  ...COMMON_VARIABLES,
  ...RELAY_VARIABLES,
  ...httpVariables(3002, 'the health endpoint'),
} as const;

export type ProjectionConfig = ConfigOf<typeof PROJECTION_VARIABLES>;

export function loadProjectionConfig(
  env: Record<string, string | undefined> = process.env,
): ProjectionConfig {
  return parseConfig(PROJECTION_VARIABLES, env);
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
