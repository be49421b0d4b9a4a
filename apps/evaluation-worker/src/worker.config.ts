import { COMMON_VARIABLES, type ConfigOf, int, parseConfig, str } from '@profile-groups/config';

export const WORKER_VARIABLES = {
  ...COMMON_VARIABLES,
  PORT: int({
    default: 3001,
    min: 0,
    max: 65535,
    description: 'HTTP port of the health endpoint.',
  }),
  HOST: str({
    default: '127.0.0.1',
    description: 'Address the health endpoint binds to; 0.0.0.0 in a container.',
  }),
  EXPIRY_MAX_SLEEP_MS: int({
    default: 60_000,
    min: 100,
    max: 3_600_000,
    description: 'Longest single timer the expiry scheduler sets before re-arming.',
  }),
} as const;

export type WorkerConfig = ConfigOf<typeof WORKER_VARIABLES>;

export function loadWorkerConfig(
  env: Record<string, string | undefined> = process.env,
): WorkerConfig {
  return parseConfig(WORKER_VARIABLES, env);
}
