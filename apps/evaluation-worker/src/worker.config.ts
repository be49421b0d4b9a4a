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
  EVALUATION_TICK_MS: int({
    default: 1000,
    min: 10,
    max: 60_000,
    description: 'How often due scheduled refreshes and time-rule rechecks are looked for.',
  }),
  CATALOG_RELOAD_MS: int({
    default: 30_000,
    min: 100,
    max: 3_600_000,
    description: 'How often the worker re-reads every dynamic group from the event store.',
  }),
  REFRESH_BATCH_SIZE: int({
    default: 1000,
    min: 1,
    max: 10_000,
    description: 'Profiles a full refresh reads, evaluates and writes per batch.',
  }),
} as const;

export type WorkerConfig = ConfigOf<typeof WORKER_VARIABLES>;

export function loadWorkerConfig(
  env: Record<string, string | undefined> = process.env,
): WorkerConfig {
  return parseConfig(WORKER_VARIABLES, env);
}
