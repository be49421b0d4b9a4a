// `npm test`: the whole suite, as CI runs it. Formatting, lint (type-aware, module
// boundaries), type check, unit tests, then integration and e2e tests against real
// Kafka and FerretDB servers started once for the run on free ports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { build, ensureDependencies, run, say, startTestInfra } from './lib.mjs';

const summaryFile = path.join(os.tmpdir(), `profile-groups-summary-${process.pid}.jsonl`);
const env = {
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  TEST_SUMMARY_FILE: summaryFile,
};
const failures = [];

async function step(name, command, args, extraEnv = {}) {
  say(`step: ${name}`);
  const code = await run(command, args, { env: { ...env, ...extraEnv } });
  if (code !== 0) failures.push(name);
}

ensureDependencies();
fs.rmSync(summaryFile, { force: true });
const bin = (name) => path.join('node_modules', '.bin', name);

await step('format', bin('prettier'), ['--check', '.', '--log-level', 'warn']);
await step('lint', bin('nx'), [
  'run-many',
  '-t',
  'lint',
  '--parallel',
  '2',
  '--outputStyle',
  'stream',
]);
await step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
await step('unit tests', bin('nx'), [
  'run-many',
  '-t',
  'test',
  '--parallel',
  '1',
  '--outputStyle',
  'stream',
]);
await build();

const infra =
  process.env.TEST_INFRA === 'containers' ? await startContainers() : await startTestInfra();
const servers = { TEST_KAFKA_BROKERS: infra.kafkaBrokers, TEST_MONGODB_URL: infra.mongoUrl };
try {
  await step(
    'integration tests',
    bin('nx'),
    ['run-many', '-t', 'int-test', '--parallel', '1', '--outputStyle', 'stream'],
    servers,
  );
  await step(
    'e2e tests',
    bin('nx'),
    ['run-many', '-t', 'e2e-test', '--parallel', '1', '--outputStyle', 'stream'],
    servers,
  );
} finally {
  await infra.stop();
}

const totals = { passed: 0, failed: 0, skipped: 0 };
if (fs.existsSync(summaryFile)) {
  for (const line of fs.readFileSync(summaryFile, 'utf8').split('\n').filter(Boolean)) {
    const counts = JSON.parse(line);
    for (const key of Object.keys(totals)) totals[key] += counts[key];
  }
  fs.rmSync(summaryFile, { force: true });
}
if (failures.length > 0) say(`failed steps: ${failures.join(', ')}`);
process.stdout.write(
  `tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
process.exit(failures.length > 0 || totals.passed === 0 ? 1 : 0);

/** TEST_INFRA=containers: the official apache/kafka and mongo images (needs Docker). */
async function startContainers() {
  say('starting apache/kafka and mongo containers for the integration tests...');
  const { startContainers: start } = await import('./jest/containers.js');

  return start();
}
