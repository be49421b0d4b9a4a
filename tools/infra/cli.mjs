// Local infrastructure for humans.
//
//   node tools/infra/cli.mjs up [--fresh]   run Kafka, PostgreSQL and FerretDB until Ctrl-C
//   node tools/infra/cli.mjs down           stop what an `up` (or a test run) started
//   node tools/infra/cli.mjs status         say what runs and where
//
// Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), MONGO_PORT (27017),
// POSTGRES_PORT (54329), KAFKA_TOPIC_PARTITIONS (6), INFRA_DATA_DIR (.local/infra); see env.mjs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { localSettingsOrExit } from './env.mjs';
import { isAlive, startInfra } from './index.mjs';

// Same state file name as index.mjs.
const { dataDir } = localSettingsOrExit();
const stateFile = path.join(dataDir, 'infra.json');

const usage = 'usage: node tools/infra/cli.mjs up [--fresh] | down | status';

function clock() {
  return new Date().toISOString().slice(11, 19);
}

function print(event, fields = {}) {
  const context = Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  console.log(`${clock()} ${event} ${context}`.trimEnd());
}

async function up(args) {
  const { kafkaPort, kafkaControllerPort, mongoPort, postgresPort, partitions } =
    localSettingsOrExit();
  const env = { kafkaPort, kafkaControllerPort, mongoPort, postgresPort, partitions };
  let infra;
  let exitCode = 0;
  let wake;
  const stopped = new Promise((resolve) => {
    wake = resolve;
  });
  const onSignal = (signal) => {
    // While starting there is nothing to stop gracefully yet; the exit hook in index.mjs
    // and its watchdog take the half-started servers down.
    if (!infra) process.exit(130);
    print('infra.signal', { signal });
    wake();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);

  const log = (line, { event }) => {
    console.log(`${clock()} ${line}`);
    if (event === 'infra.server.exited' && infra) {
      exitCode = 1;
      wake();
    }
  };
  infra = await startInfra({ ...env, dataDir, fresh: args.includes('--fresh'), log });

  console.log(
    [
      '',
      `Local infrastructure is up; data and logs in ${path.relative(process.cwd(), dataDir)}.`,
      'Point the apps at it with:',
      `  export KAFKA_BROKERS=${infra.kafkaBrokers}`,
      `  export MONGODB_URL=${infra.mongoUrl}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  await stopped;
  // A second Ctrl-C while stopping gives up on a clean stop.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.off(signal, onSignal);
    process.once(signal, () => process.exit(130));
  }
  await infra.stop();

  return exitCode;
}

function readState() {
  try {
    return JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  } catch {
    return undefined;
  }
}

function answers(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 1_000 });
    const finish = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
    socket.once('timeout', () => finish(false));
  });
}

async function status() {
  const state = readState();
  if (!state) {
    console.log(`not running (no ${path.relative(process.cwd(), stateFile)})`);

    return 3;
  }
  const anyAlive = Object.values(state.servers).some((server) => isAlive(server.pid));
  if (!isAlive(state.ownerPid) && !anyAlive) {
    console.log(`not running (stale state left by pid ${state.ownerPid}, which is gone)`);

    return 3;
  }
  const owner = isAlive(state.ownerPid) ? 'running' : 'gone';
  console.log(`started ${state.startedAt} by pid ${state.ownerPid} (${owner})`);
  let healthy = owner === 'running';
  for (const [name, server] of Object.entries(state.servers)) {
    const alive = isAlive(server.pid);
    const open = await answers(server.port);
    healthy &&= alive && open;
    const condition = alive ? (open ? 'up' : 'not answering') : 'stopped';
    console.log(`  ${name.padEnd(9)} pid ${server.pid} port ${server.port}: ${condition}`);
  }
  console.log(`KAFKA_BROKERS=${state.kafkaBrokers}\nMONGODB_URL=${state.mongoUrl}`);

  return healthy ? 0 : 1;
}

async function waitUntil(condition, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await delay(200);
  }

  return true;
}

async function down() {
  const state = readState();
  if (!state) {
    console.log('not running');

    return 0;
  }
  const servers = Object.entries(state.servers);
  const serversGone = () => servers.every(([, server]) => !isAlive(server.pid));

  // The process that started the servers owns them; asking it to stop is the clean way.
  if (isAlive(state.ownerPid)) {
    print('infra.down.signal_owner', { pid: state.ownerPid });
    process.kill(state.ownerPid, 'SIGTERM');
    await waitUntil(() => !isAlive(state.ownerPid) && serversGone(), 45_000);
  }

  // Orphans: the owner is gone (or hung) but a server still runs.
  for (const [name, server] of servers) {
    if (!isAlive(server.pid)) continue;
    print('infra.down.stop_orphan', { server: name, pid: server.pid });
    if (server.stopCommand) {
      const [command, args] = server.stopCommand;
      spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
    } else {
      signalGroup(server.pid, 'SIGTERM');
    }
    if (!(await waitUntil(() => !isAlive(server.pid), 20_000))) signalGroup(server.pid, 'SIGKILL');
  }
  fs.rmSync(stateFile, { force: true });
  print('infra.down.done', {});

  return 0;
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

const commands = { up, down, status };
const [name, ...args] = process.argv.slice(2);
const command = commands[name];
if (!command) {
  console.error(usage);
  process.exitCode = 2;
} else {
  try {
    process.exitCode = await command(args);
  } catch (error) {
    console.error(`infra ${name} failed: ${error.message}`);
    process.exitCode = 1;
  }
}
