import os from 'node:os';
import path from 'node:path';

/** Kafka and a MongoDB-compatible server for a benchmark: given, or started for it. */
export interface BenchServers {
  readonly kafkaBrokers: string;
  readonly mongoUrl: string;
  stop(): Promise<void>;
}

interface StartedInfra {
  kafkaBrokers: string;
  mongoUrl: string;
  stop(): Promise<void>;
}

/**
 * Uses BENCH_KAFKA_BROKERS and BENCH_MONGODB_URL when both are set (e.g. the servers
 * of `npm run infra up`); otherwise starts the project's own local infrastructure on
 * free loopback ports in a temporary folder, as the test suite does.
 */
export async function benchServers(): Promise<BenchServers> {
  const { BENCH_KAFKA_BROKERS: brokers, BENCH_MONGODB_URL: mongoUrl } = process.env;
  if (brokers && mongoUrl) {
    return { kafkaBrokers: brokers, mongoUrl, stop: () => Promise.resolve() };
  }
  const modulePath = path.resolve(__dirname, '../tools/infra/index.mjs');
  const infra = (await import(modulePath)) as {
    startInfra(options: Record<string, unknown>): Promise<StartedInfra>;
  };
  console.log('bench: starting Kafka and FerretDB on free ports (set BENCH_* to reuse servers)');
  const started = await infra.startInfra({
    dataDir: path.join(os.tmpdir(), `profile-groups-bench-${process.pid}`),
    kafkaPort: 0,
    kafkaControllerPort: 0,
    postgresPort: 0,
    mongoPort: 0,
    fresh: true,
    durable: false,
  });

  return {
    kafkaBrokers: started.kafkaBrokers,
    mongoUrl: started.mongoUrl,
    stop: () => started.stop(),
  };
}

export function numberArg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);

  return value;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);

  return sorted[Math.max(0, index)]!;
}
