// Where the local servers (and, for `npm start`, the apps) listen, from the environment:
// KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), MONGO_PORT (27017), POSTGRES_PORT
// (54329), KAFKA_TOPIC_PARTITIONS (6), INFRA_DATA_DIR (.local/infra); API_PORT (3000),
// WORKER_PORT (3001), PROJECTION_PORT (3002). A bad value stops the command with all
// the bad ones named.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function localSettings(env = process.env) {
  const problems = [];
  const integer = (name, fallback, min, max) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= min && value <= max) return value;
    problems.push(`${name}=${raw} (expected an integer from ${min} to ${max})`);

    return fallback;
  };
  const settings = {
    dataDir: path.resolve(env.INFRA_DATA_DIR || path.join(repoRoot, '.local/infra')),
    kafkaPort: integer('KAFKA_PORT', 9092, 0, 65535),
    kafkaControllerPort: integer('KAFKA_CONTROLLER_PORT', 9093, 0, 65535),
    mongoPort: integer('MONGO_PORT', 27017, 0, 65535),
    postgresPort: integer('POSTGRES_PORT', 54329, 0, 65535),
    partitions: integer('KAFKA_TOPIC_PARTITIONS', 6, 1, 1000),
    apps: {
      api: integer('API_PORT', 3000, 1, 65535),
      worker: integer('WORKER_PORT', 3001, 1, 65535),
      projection: integer('PROJECTION_PORT', 3002, 1, 65535),
    },
  };
  if (problems.length > 0) {
    throw new Error(`invalid environment:\n  ${problems.join('\n  ')}`);
  }

  return settings;
}

/** localSettings, or the problem said on stderr and exit code 2 (for the command lines). */
export function localSettingsOrExit(env = process.env) {
  try {
    return localSettings(env);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
}
