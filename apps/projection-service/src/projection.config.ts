import {
  COMMON_VARIABLES,
  type ConfigOf,
  int,
  parseConfig,
  str,
  RELAY_VARIABLES,
} from '@profile-groups/config';

export const PROJECTION_VARIABLES = {
  ...COMMON_VARIABLES,
  ...RELAY_VARIABLES,
  PORT: int({
    default: 3002,
    min: 0,
    max: 65535,
    description: 'HTTP port of the health endpoint.',
  }),
  HOST: str({
    default: '127.0.0.1',
    description: 'Address the health endpoint binds to; 0.0.0.0 in a container.',
  }),
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
