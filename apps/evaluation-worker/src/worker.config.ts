import {
  COMMON_VARIABLES,
  httpVariables,
  type ConfigOf,
  int,
  parseConfig,
} from '@profile-groups/config';

export const WORKER_VARIABLES = {
  ...COMMON_VARIABLES,
  ...httpVariables(3001, 'the health endpoint'),
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
