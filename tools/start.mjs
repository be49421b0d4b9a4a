// `npm start`: the whole system on the embedded local infrastructure. Installs what
// is missing, starts PostgreSQL + FerretDB + Kafka, builds and starts the three apps,
// loads a small sample, prints where everything is, and stops it all on Ctrl-C/SIGTERM.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { build, ensureDependencies, repoRoot, say } from './lib.mjs';
import { loadDemo } from './demo-data.mjs';
import { localSettingsOrExit } from './infra/env.mjs';
import { loadSample } from './sample-data.mjs';

// The defaults, or the ports and data folder the environment names (tools/infra/env.mjs).
const settings = localSettingsOrExit();
const ports = settings.apps;
const logsDir = path.join(repoRoot, '.local', 'logs');

ensureDependencies();
await build();
const { ensureInstalled, startInfra } = await import('./infra/index.mjs');
say('fetching and building the local servers when missing (first run: a few minutes)...');
await ensureInstalled({ log: (line) => say(line) });
say('starting PostgreSQL, FerretDB and Kafka...');
const { dataDir, kafkaPort, kafkaControllerPort, mongoPort, postgresPort, partitions } = settings;
const infra = await startInfra({
  dataDir,
  kafkaPort,
  kafkaControllerPort,
  mongoPort,
  postgresPort,
  partitions,
  log: (line) => say(line),
});

fs.mkdirSync(logsDir, { recursive: true });
const env = {
  KAFKA_BROKERS: infra.kafkaBrokers,
  MONGODB_URL: infra.mongoUrl,
  AUTH_MODE: 'local',
  KAFKA_TOPIC_PARTITIONS: String(partitions),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
};
const apps = [
  ['projection-service', ports.projection, '/health'],
  ['evaluation-worker', ports.worker, '/health'],
  ['command-api', ports.api, '/api/health'],
];
const children = [];
let stopping = false;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  say('stopping...');
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', resolve);
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  await infra.stop();
  say('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

for (const [name, port, health] of apps) {
  const log = fs.openSync(path.join(logsDir, `${name}.log`), 'a');
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/apps', name, 'src/main.js')], {
    cwd: repoRoot,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); see .local/logs/${name}.log`);
      void stopAll(1);
    }
  });
  children.push(child);
  await waitHealthy(name, `http://127.0.0.1:${port}${health}`);
}

const summary = await loadSample(`http://127.0.0.1:${ports.api}/api`, 'local-dev-token');
say(`sample data: ${summary}`);
say(`command API:  http://127.0.0.1:${ports.api}/api (token: local-dev-token)`);
say(`Swagger UI:   http://127.0.0.1:${ports.api}/api/docs`);
say(
  `health:       http://127.0.0.1:${ports.api}/api/health, :${ports.worker}/health, :${ports.projection}/health`,
);
say(`Kafka:        ${infra.kafkaBrokers}   MongoDB (FerretDB): ${infra.mongoUrl}`);
say(`logs:         .local/logs/   (Ctrl-C stops everything)`);

// The demo loads while the system runs: the API answers meanwhile, and dynamic groups
// fill as the worker takes the profiles in (a few minutes for 50,000).
const demoProfiles = Number(process.env.DEMO_PROFILES ?? 50_000);
if (demoProfiles > 0) {
  try {
    const loaded = await loadDemo({
      apiUrl: `http://127.0.0.1:${ports.api}/api`,
      token: 'local-dev-token',
      kafkaBrokers: infra.kafkaBrokers.split(','),
      topicPrefix: 'profile-groups.',
      count: demoProfiles,
      report: say,
    });
    if (loaded) {
      say('demo: loaded; the worker evaluates the profiles as they arrive (README: "The demo")');
    }
  } catch (error) {
    say(`demo: loading failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function waitHealthy(name, url) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      say(`${name} did not become healthy; see .local/logs/${name}.log`);
      await stopAll(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
