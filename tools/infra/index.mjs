// Local servers for development and tests: a single-node Kafka (KRaft) and FerretDB on
// PostgreSQL as the MongoDB-compatible store, all run as child processes of the caller.
// Tools and jars are fetched once into caches outside the clone, so a second clone starts
// in seconds. docs/infrastructure.md explains the choices; cli.mjs is the human entry point.
//
// `log` options take `(line, entry)`: `line` is ready to print (`infra.kafka.ready port=9092`),
// `entry` is the same as data: `{ event, ...fields }` with a stable dotted event name.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';

// Keep in step with tools/kafka/pom.xml and the image tag in docker-compose.yml.
const KAFKA_VERSION = '4.1.1';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const kafkaToolsDir = path.join(repoRoot, 'tools/kafka');
const ferretdbSourceDir = path.join(repoRoot, 'tools/ferretdb');

const defaults = {
  dataDir: path.join(repoRoot, '.local/infra'),
  kafkaPort: 9092,
  kafkaControllerPort: 9093,
  postgresPort: 54329,
  mongoPort: 27017,
  partitions: 6,
};

const timeoutsMs = {
  postgresReady: 30_000,
  ferretdbReady: 30_000,
  // A cold JVM on a two-core machine needs most of this on its first start.
  kafkaReady: 90_000,
  stop: 20_000,
  mavenResolve: 10 * 60_000,
  goBuild: 15 * 60_000,
  aptInstall: 10 * 60_000,
};

// cli.mjs reads this file to find servers started by another process.
const STATE_FILE = 'infra.json';

const noop = () => {};

/** Wraps a caller's `log(line, entry)` into the `(event, fields)` form used below. */
function eventLogger(log) {
  return (event, fields = {}) => {
    const context = Object.entries(fields)
      .map(([key, value]) => ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join('');
    log(`${event}${context}`, { event, ...fields });
  };
}

class InfraError extends Error {
  constructor(message, { server, cause } = {}) {
    super(message, { cause });
    this.name = 'InfraError';
    this.server = server;
  }
}

// ---------------------------------------------------------------------------------------------
// Installation

/**
 * Makes sure everything the servers need is present, fetching or building what is missing.
 * Maven and Go are needed only while their cache entry is missing.
 * Resolves to `{ java, kafkaClasspath, ferretdb, postgresBinDir }`.
 */
export async function ensureInstalled({ log = noop } = {}) {
  return install(eventLogger(log));
}

async function install(log) {
  const java = await ensureJava();
  const [kafkaClasspath, ferretdb, postgresBinDir] = await Promise.all([
    ensureKafkaClasspath(log),
    ensureFerretdb(log),
    ensurePostgres(log),
  ]);

  return { java, kafkaClasspath, ferretdb, postgresBinDir };
}

function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');

  return path.join(base, 'profile-groups');
}

async function ensureJava() {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin/java') : 'java';
  const result = await run(java, ['-version']).catch(
    missingTool(
      `Java 17 or newer (${java}${process.env.JAVA_HOME ? ' from JAVA_HOME' : ' on PATH'})`,
      'run Kafka',
      'apt-get install -y openjdk-17-jre-headless',
    ),
  );
  const major = Number(/version "(\d+)/.exec(result.output)?.[1]);
  if (!(major >= 17)) {
    const reported = result.output.split('\n')[0];
    throw new InfraError(
      `Kafka ${KAFKA_VERSION} needs Java 17 or newer; ${java} reports: ${reported}`,
    );
  }

  return java;
}

async function ensureKafkaClasspath(log) {
  const pom = path.join(kafkaToolsDir, 'pom.xml');
  const file = path.join(cacheDir(), `kafka-${KAFKA_VERSION}-${hashFiles([pom])}.classpath`);
  const cached = readIfExists(file)?.trim();
  // Maven's cache can be cleaned behind our back; a classpath with holes is no cache hit.
  if (cached && cached.split(path.delimiter).every((jar) => fs.existsSync(jar))) return cached;

  const startedAt = Date.now();
  log('infra.kafka.resolving', { version: KAFKA_VERSION, cache: file });
  fs.mkdirSync(cacheDir(), { recursive: true });
  const staging = `${file}.${process.pid}.tmp`;
  const args = ['-q', '-B', '-Dstyle.color=never', '-f', pom, 'dependency:build-classpath'];
  const result = await run('mvn', [...args, `-Dmdep.outputFile=${staging}`], {
    timeoutMs: timeoutsMs.mavenResolve,
  }).catch(missingTool('Maven (mvn)', 'fetch the Kafka jars once', 'apt-get install -y maven'));
  if (result.code !== 0 || !fs.existsSync(staging)) {
    fs.rmSync(staging, { force: true });
    throw new InfraError(
      `Maven could not resolve Kafka ${KAFKA_VERSION} from ${pom}:\n${lastLines(result.output)}`,
    );
  }
  fs.renameSync(staging, file);
  log('infra.kafka.resolved', { ms: Date.now() - startedAt });

  return fs.readFileSync(file, 'utf8').trim();
}

async function ensureFerretdb(log) {
  const sources = ['go.mod', 'go.sum', 'main.go'].map((name) => path.join(ferretdbSourceDir, name));
  const dir = path.join(cacheDir(), `ferretdb-${hashFiles(sources)}`);
  const binary = path.join(dir, 'ferretdb');
  if (isExecutable(binary)) return binary;

  const startedAt = Date.now();
  log('infra.ferretdb.building', { cache: dir, expected: 'about 90 s on the first build' });
  const staging = `${dir}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  const result = await run('go', ['install', '-trimpath', '.'], {
    cwd: ferretdbSourceDir,
    // Pure Go (FerretDB's SQLite driver is a Go port), so no C compiler is needed.
    env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly' },
    timeoutMs: timeoutsMs.goBuild,
  }).catch(missingTool('Go (go)', 'build FerretDB once', 'https://go.dev/doc/install'));
  if (result.code !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new InfraError(`go install in ${ferretdbSourceDir} failed:\n${lastLines(result.output)}`);
  }
  try {
    fs.renameSync(staging, dir);
  } catch (error) {
    // Another clone finished the same build first; its binary is as good as ours.
    if (!isExecutable(binary)) throw error;
    fs.rmSync(staging, { recursive: true, force: true });
  }
  log('infra.ferretdb.built', { ms: Date.now() - startedAt });

  return binary;
}

const postgresTools = ['initdb', 'pg_ctl', 'postgres', 'pg_isready', 'psql', 'createdb'];

async function ensurePostgres(log) {
  const found = findPostgresBinDir();
  if (found) return found;
  if (!isRoot()) {
    throw new InfraError(
      'PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found. Install them ' +
        '(Debian: sudo apt-get install -y postgresql) or set POSTGRES_BIN_DIR.',
    );
  }

  const startedAt = Date.now();
  log('infra.postgres.installing', { command: 'apt-get install -y postgresql' });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const aptInstall = () =>
    run('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], {
      env,
      timeoutMs: timeoutsMs.aptInstall,
    }).catch(missingTool('apt-get', 'install PostgreSQL', 'install PostgreSQL by hand'));
  let result = await aptInstall();
  if (result.code !== 0) {
    // A fresh machine has no package lists yet.
    log('infra.postgres.apt_update', {});
    await run('apt-get', ['update'], { env, timeoutMs: timeoutsMs.aptInstall });
    result = await aptInstall();
  }
  const installed = findPostgresBinDir();
  if (result.code !== 0 || !installed) {
    throw new InfraError(`apt-get install postgresql failed:\n${lastLines(result.output)}`);
  }
  log('infra.postgres.installed', { binDir: installed, ms: Date.now() - startedAt });

  return installed;
}

function findPostgresBinDir() {
  const candidates = [];
  if (process.env.POSTGRES_BIN_DIR) candidates.push(process.env.POSTGRES_BIN_DIR);
  // Debian keeps server binaries off PATH, one folder per major version; take the newest.
  const debianRoot = '/usr/lib/postgresql';
  const versions = fs.existsSync(debianRoot) ? fs.readdirSync(debianRoot) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  candidates.push(...versions.map((version) => path.join(debianRoot, version, 'bin')));
  candidates.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));

  return candidates.find((dir) =>
    postgresTools.every((tool) => isExecutable(path.join(dir, tool))),
  );
}

// ---------------------------------------------------------------------------------------------
// Ports

/** Resolves to a TCP port on 127.0.0.1 that was free a moment ago. */
export async function findFreePort() {
  const server = await listenOn(0);
  const { port } = server.address();
  await closeServer(server);

  return port;
}

function listenOn(port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve(server));
  });
}

function closeServer(server) {
  return new Promise((resolve) => server.close(() => resolve()));
}

const portLabels = {
  kafkaPort: 'Kafka',
  kafkaControllerPort: 'Kafka controller',
  postgresPort: 'PostgreSQL',
  mongoPort: 'FerretDB',
};

/**
 * Takes `{ name: port }` and resolves to the same names with real ports: 0 becomes a free
 * port, any other port must be free. All are held open together so 0s never collide.
 */
async function reservePorts(requested) {
  const taken = Object.entries(requested).filter(([, port]) => port !== 0);
  const duplicates = taken.filter(([, port], i) => taken.findIndex(([, p]) => p === port) !== i);
  if (duplicates.length > 0) {
    const list = duplicates.map(([name, port]) => `${name}=${port}`).join(', ');
    throw new InfraError(`each server needs its own port; repeated: ${list}`);
  }

  const held = [];
  try {
    for (const [name, port] of Object.entries(requested)) {
      const server = await listenOn(port).catch((error) => {
        if (error.code !== 'EADDRINUSE') throw error;
        throw new InfraError(
          `port ${port} on 127.0.0.1 (${portLabels[name] ?? name}, option ${name}) is already ` +
            `in use by another process; stop it ` +
            `(see: ss -ltnp 'sport = :${port}') or choose another port (0 picks a free one)`,
        );
      });
      held.push([name, server]);
    }

    return Object.fromEntries(held.map(([name, server]) => [name, server.address().port]));
  } finally {
    await Promise.all(held.map(([, server]) => closeServer(server)));
  }
}

// ---------------------------------------------------------------------------------------------
// Child processes
//
// Each server runs in its own process group, so a stop reaches the helpers it forks and a
// Ctrl-C in the terminal reaches only us. Three layers keep orphans away: stop(), an exit and
// signal hook in this process, and a watchdog process that outlives a SIGKILL of this one.

const liveServers = new Set();
let watchdog;
let hooksInstalled = false;

function spawnServer({ name, command, args, cwd, env, logFile, extraLogFiles = [], stopSignal }) {
  const out = fs.openSync(logFile, 'a');
  let child;
  try {
    child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', out, out] });
  } finally {
    fs.closeSync(out);
  }
  const server = {
    name,
    child,
    pid: child.pid,
    stopSignal,
    logFiles: [logFile, ...extraLogFiles],
    stopping: false,
    onUnexpectedExit: noop,
  };
  server.exited = new Promise((resolve) => {
    child.once('error', (error) => resolve({ error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  void server.exited.then((exit) => {
    liveServers.delete(server);
    tellWatchdog({ type: 'unwatch', pgid: server.pid });
    if (!server.stopping) server.onUnexpectedExit(exit);
  });

  if (server.pid) {
    liveServers.add(server);
    installHooks();
    tellWatchdog({ type: 'watch', pgid: server.pid, signal: stopSignal });
  }

  return server;
}

function hasExited(server) {
  return server.child.exitCode !== null || server.child.signalCode !== null || !server.pid;
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The whole group is gone already.
  }
}

async function stopServer(server) {
  server.stopping = true;
  if (!hasExited(server)) {
    signalGroup(server.pid, server.stopSignal);
    // Unreferenced, so a quick stop does not keep the process alive until it fires.
    const timer = delay(timeoutsMs.stop, 'timeout', { ref: false });
    if ((await Promise.race([server.exited, timer])) === 'timeout') {
      signalGroup(server.pid, 'SIGKILL');
      await server.exited;
    }
  }
  // A group member can outlive its leader (a postgres backend, a forked helper).
  signalGroup(server.pid, 'SIGKILL');
}

function killAllNow() {
  for (const server of liveServers) {
    server.stopping = true;
    signalGroup(server.pid, server.stopSignal);
  }
}

function installHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);
}

function removeHooks() {
  hooksInstalled = false;
  process.off('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(signal, onSignal);
}

function onSignal(signal) {
  // A host with its own handler (cli.mjs, a test runner) decides how to stop and exit.
  if (process.listenerCount(signal) > 1) return;
  killAllNow();
  removeHooks();
  // Die of the same signal, as the process would have without this hook.
  process.kill(process.pid, signal);
}

// The watchdog learns each server's process group over IPC. When the channel closes without
// a release (this process died, even by SIGKILL), it stops the groups, then kills leftovers.
const watchdogSource = `
const groups = new Map();
process.on('message', (m) => {
  if (m.type === 'watch') groups.set(m.pgid, m.signal);
  if (m.type === 'unwatch') groups.delete(m.pgid);
  if (m.type === 'release') process.exit(0);
});
process.on('disconnect', () => {
  const send = (pgid, signal) => { try { process.kill(-pgid, signal); return true; } catch { return false; } };
  for (const [pgid, signal] of groups) send(pgid, signal);
  const deadline = Date.now() + ${timeoutsMs.stop};
  setInterval(() => {
    const alive = [...groups.keys()].filter((pgid) => send(pgid, 0));
    if (alive.length > 0 && Date.now() < deadline) return;
    for (const pgid of alive) send(pgid, 'SIGKILL');
    process.exit(0);
  }, 200);
});
`;

function tellWatchdog(message) {
  if (message.type === 'watch' && !watchdog) {
    watchdog = spawn(process.execPath, ['-e', watchdogSource], {
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    watchdog.on('error', noop);
    watchdog.unref();
    watchdog.channel?.unref();
  }
  if (!watchdog?.connected) return;
  watchdog.send(message, noop);
  if (message.type === 'unwatch' && liveServers.size === 0) releaseWatchdog();
}

function releaseWatchdog() {
  const current = watchdog;
  watchdog = undefined;
  if (current?.connected) current.send({ type: 'release' }, () => current.disconnect());
}

async function waitUntilReady(server, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (hasExited(server)) throw new InfraError(await exitReport(server), { server: server.name });
    try {
      await check();

      return;
    } catch (error) {
      lastError = error;
    }
    await Promise.race([delay(250), server.exited]);
  }
  const last = lastError ? ` (last check: ${lastError.message})` : '';
  throw new InfraError(
    `${server.name} did not become ready within ${timeoutMs / 1000} s${last}.${logTails(server)}`,
    { server: server.name, cause: lastError },
  );
}

async function exitReport(server) {
  const exit = await server.exited;
  const how = exit.error
    ? `could not be started: ${exit.error.message}`
    : `exited during start-up (code ${exit.code}, signal ${exit.signal})`;

  return `${server.name} ${how}.${logTails(server)}`;
}

function logTails(server) {
  return server.logFiles
    .map((file) => ({ file, text: lastLines(readTail(file)) }))
    .filter(({ text }) => text.length > 0)
    .map(({ file, text }) => `\n--- last lines of ${file} ---\n${text}`)
    .join('');
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL, the storage behind FerretDB

function isRoot() {
  return process.getuid?.() === 0;
}

// PostgreSQL refuses to run as root, so as root every server-side command runs as the
// `postgres` user that Debian's package creates.
function asPostgresUser(command, args) {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

function postgresHome(dataDir, log) {
  const preferred = path.join(dataDir, 'postgres');
  fs.mkdirSync(preferred, { recursive: true, mode: 0o700 });
  if (!isRoot()) return preferred;

  const { uid, gid } = postgresAccount();
  for (const dir of [preferred, fallbackPostgresHome(dataDir)]) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chownSync(dir, uid, gid);
    // `test -x` fails unless every parent folder is searchable by postgres too.
    const probe = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dir]);
    if (probe.status === 0) {
      if (dir !== preferred) {
        fs.writeFileSync(path.join(dir, fallbackOwnerFile), dataDir);
        log('infra.postgres.fallback_dir', { unreachable: preferred, used: dir });
      }

      return dir;
    }
  }
  throw new InfraError(`the postgres user can reach neither ${preferred} nor ${os.tmpdir()}`);
}

// Used when the data folder sits below one that user `postgres` may not enter: a clone in
// /root, or a private mkdtemp folder of a test run.
const fallbackPrefix = 'profile-groups-postgres-';
const fallbackOwnerFile = 'owner-data-dir';

function fallbackPostgresHome(dataDir) {
  const key = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);

  return path.join(os.tmpdir(), `${fallbackPrefix}${key}`);
}

// A test run deletes its temporary data folder but cannot see the PostgreSQL data kept for
// it in the fallback; remove those whose owner folder is gone and whose server is stopped.
function sweepFallbackHomes(log) {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(fallbackPrefix)) continue;
    const home = path.join(os.tmpdir(), name);
    const owner = readIfExists(path.join(home, fallbackOwnerFile));
    if (owner === undefined || fs.existsSync(owner)) continue;
    const postmaster = readIfExists(path.join(home, 'data/postmaster.pid'));
    if (postmaster && isAlive(Number(postmaster.split('\n')[0]))) continue;
    fs.rmSync(home, { recursive: true, force: true });
    log('infra.postgres.fallback_removed', { dir: home, ownerDataDir: owner });
  }
}

function postgresAccount() {
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const [uid, gid] = [id('-u'), id('-g')];
  if (uid.status !== 0 || gid.status !== 0) {
    throw new InfraError('user postgres does not exist; reinstall the postgresql package');
  }

  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

async function startPostgres({ binDir, dataDir, logsDir, port, log, onServer, durable }) {
  const home = postgresHome(dataDir, log);
  const pgData = path.join(home, 'data');
  const logFile = path.join(logsDir, 'postgres.log');
  rotateLogs(logFile);

  if (!fs.existsSync(path.join(pgData, 'PG_VERSION'))) {
    log('infra.postgres.initializing', { dataDir: pgData });
    const [command, args] = asPostgresUser(path.join(binDir, 'initdb'), [
      ...['-D', pgData, '-A', 'trust', '-U', 'postgres'],
      ...['-E', 'UTF8', '--locale=C', '--no-sync'],
    ]);
    const result = await run(command, args, { cwd: home });
    if (result.code !== 0) {
      throw new InfraError(`initdb failed:\n${lastLines(result.output)}`, { server: 'postgres' });
    }
  }

  // A Unix socket path longer than 107 bytes is rejected; /tmp is short and writable by all.
  const socketDir = path.join(home, `.s.PGSQL.${port}`).length < 100 ? home : os.tmpdir();
  const settings = [
    'listen_addresses=127.0.0.1',
    // Throw-away test data may trade crash safety for speed; `npm start` keeps it.
    ...(durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
  ];
  const [command, args] = asPostgresUser(path.join(binDir, 'postgres'), [
    ...['-D', pgData, '-p', String(port), '-k', socketDir],
    ...settings.flatMap((setting) => ['-c', setting]),
  ]);
  // SIGINT is PostgreSQL's "fast" shutdown; its SIGTERM would wait for every client.
  const server = spawnServer({
    name: 'postgres',
    command,
    args,
    cwd: home,
    logFile,
    stopSignal: 'SIGINT',
  });
  server.pgData = pgData;
  const stopWithin = String(timeoutsMs.stop / 1000);
  server.stopCommand = asPostgresUser(path.join(binDir, 'pg_ctl'), [
    ...['stop', '-D', pgData, '-m', 'fast', '-w', '-t', stopWithin],
  ]);
  onServer(server);

  const client = (tool, extra) => [
    path.join(binDir, tool),
    ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', ...extra],
  ];
  await waitUntilReady(server, timeoutsMs.postgresReady, async () => {
    const result = await run(...client('pg_isready', ['-d', 'postgres', '-t', '1']));
    if (result.code !== 0) throw new Error(result.output.trim() || `pg_isready: ${result.code}`);
  });

  const query = "select 1 from pg_database where datname = 'ferretdb'";
  const exists = await run(...client('psql', ['-X', '-d', 'postgres', '-tAc', query]));
  if (exists.code !== 0) {
    throw new InfraError(`psql could not list databases:\n${exists.output}`, {
      server: 'postgres',
    });
  }
  if (exists.stdout.trim() !== '1') {
    const created = await run(...client('createdb', ['ferretdb']));
    if (created.code !== 0 && !/already exists/.test(created.output)) {
      throw new InfraError(`createdb ferretdb failed:\n${created.output}`, { server: 'postgres' });
    }
  }
  log('infra.postgres.ready', { port, dataDir: pgData });

  return server;
}

async function stopPostgres(server) {
  server.stopping = true;
  if (!hasExited(server)) {
    const [command, args] = server.stopCommand;
    await run(command, args, { timeoutMs: timeoutsMs.stop + 5_000 }).catch(noop);
  }
  await stopServer(server);
}

// ---------------------------------------------------------------------------------------------
// FerretDB, the MongoDB wire protocol in front of PostgreSQL

async function startFerretdb({ binary, dataDir, logsDir, port, postgresPort, log, onServer }) {
  const postgresUrl = `postgres://postgres@127.0.0.1:${postgresPort}/ferretdb`;
  const logFile = path.join(logsDir, 'ferretdb.log');
  rotateLogs(logFile);
  const server = spawnServer({
    name: 'ferretdb',
    command: binary,
    args: [
      `--listen-addr=127.0.0.1:${port}`,
      '--handler=postgresql',
      `--postgresql-url=${postgresUrl}`,
      // warn shows each command FerretDB rejects, which is what a developer looks for.
      `--log-level=${process.env.FERRETDB_LOG_LEVEL || 'warn'}`,
    ],
    cwd: dataDir,
    logFile,
    stopSignal: 'SIGTERM',
  });
  onServer(server);

  const mongoUrl = `mongodb://127.0.0.1:${port}/`;
  await waitUntilReady(server, timeoutsMs.ferretdbReady, () => pingMongo(mongoUrl));
  log('infra.ferretdb.ready', { port });

  return server;
}

async function pingMongo(url) {
  const client = new MongoClient(url, {
    directConnection: true,
    serverSelectionTimeoutMS: 1_000,
    connectTimeoutMS: 1_000,
  });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Kafka

function kafkaProperties({ port, controllerPort, partitions, logDir }) {
  const properties = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': logDir,
    'num.partitions': partitions,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    'offsets.topic.replication.factor': 1,
    // Fewer than the default 50: the first consumer group waits for all of them to load.
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    // Topics are created on purpose (createTopics), never by a typo in a consumer.
    'auto.create.topics.enable': false,
  };

  return Object.entries(properties)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

// Kafka's cluster id is a base64url UUID; Kafka itself never hands out one starting with '-'.
function kafkaClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function startKafka({
  tools,
  dataDir,
  logsDir,
  port,
  controllerPort,
  partitions,
  log,
  onServer,
}) {
  const kafkaDir = path.join(dataDir, 'kafka');
  const logDir = path.join(kafkaDir, 'data');
  const propertiesFile = path.join(kafkaDir, 'server.properties');
  const brokerLog = path.join(logsDir, 'kafka.log');
  const jvmOutput = path.join(logsDir, 'kafka.out');
  rotateLogs(brokerLog, jvmOutput);
  fs.mkdirSync(logDir, { recursive: true });
  // Rewritten on each start: the ports may differ from the previous run.
  fs.writeFileSync(
    propertiesFile,
    `${kafkaProperties({ port, controllerPort, partitions, logDir })}\n`,
  );

  const jvm = [
    `-Dkafka.logs.dir=${logsDir}`,
    `-Dlog4j2.configurationFile=${path.join(kafkaToolsDir, 'log4j2.yaml')}`,
    '-Djava.awt.headless=true',
    ...['-cp', tools.kafkaClasspath],
  ];
  if (!fs.existsSync(path.join(logDir, 'meta.properties'))) {
    const clusterId = kafkaClusterId();
    log('infra.kafka.formatting', { clusterId, logDir });
    const format = ['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propertiesFile];
    const result = await run(tools.java, [...jvm, ...format], { cwd: kafkaDir, timeoutMs: 60_000 });
    if (result.code !== 0) {
      throw new InfraError(`Kafka storage format failed:\n${lastLines(result.output)}`, {
        server: 'kafka',
      });
    }
  }

  const server = spawnServer({
    name: 'kafka',
    command: tools.java,
    args: ['-Xms256m', '-Xmx512m', ...jvm, 'kafka.Kafka', propertiesFile],
    // The JVM drops crash reports (hs_err_pid*.log) into its working folder.
    cwd: kafkaDir,
    logFile: jvmOutput,
    extraLogFiles: [brokerLog],
    stopSignal: 'SIGTERM',
  });
  onServer(server);

  const brokers = `127.0.0.1:${port}`;
  await waitUntilReady(server, timeoutsMs.kafkaReady, () => kafkaAnswers(brokers));
  log('infra.kafka.ready', { port, controllerPort });

  return server;
}

function kafkaAdmin(kafkaBrokers, clientId, options = {}) {
  const brokers = Array.isArray(kafkaBrokers) ? kafkaBrokers : kafkaBrokers.split(',');

  return new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, ...options }).admin();
}

async function kafkaAnswers(brokers) {
  const admin = kafkaAdmin(brokers, 'infra-readiness', {
    connectionTimeout: 1_000,
    requestTimeout: 3_000,
    retry: { retries: 0 },
  });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('the broker lists no brokers yet');
    // Right after a start the group coordinator answers "loading"; consumers would fail.
    await admin.fetchOffsets({ groupId: 'infra-readiness', topics: [] });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates the topics that do not exist yet. `topics` holds names or kafkajs topic configs
 * (`{ topic, numPartitions, configEntries }`); `partitions` is the default partition count.
 * Resolves to the names it created.
 */
export async function createTopics({ kafkaBrokers, topics, partitions = defaults.partitions }) {
  const wanted = topics.map((entry) =>
    typeof entry === 'string'
      ? { topic: entry, numPartitions: partitions }
      : { numPartitions: partitions, ...entry },
  );
  const admin = kafkaAdmin(kafkaBrokers, 'infra-topics');
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter(({ topic }) => !existing.has(topic));
    // kafkajs itself answers false, not an error, when another client created them first.
    if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });

    return missing.map(({ topic }) => topic);
  } finally {
    await admin.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// Start and stop

/**
 * Starts PostgreSQL, FerretDB and Kafka and resolves once all three answer clients.
 * Ports default to 9092/9093 (Kafka), 54329 (PostgreSQL) and 27017 (FerretDB); 0 picks a free
 * port. `fresh` wipes `dataDir` (default: .local/infra in the clone) first. `durable: false`
 * turns PostgreSQL's fsync off, for throw-away test data only.
 * Resolves to `{ kafkaBrokers, mongoUrl, stop }`.
 */
export async function startInfra({
  dataDir = defaults.dataDir,
  kafkaPort = defaults.kafkaPort,
  kafkaControllerPort = defaults.kafkaControllerPort,
  postgresPort = defaults.postgresPort,
  mongoPort = defaults.mongoPort,
  partitions = defaults.partitions,
  log: callerLog = noop,
  fresh = false,
  durable = true,
} = {}) {
  const log = eventLogger(callerLog);
  const startedAt = Date.now();
  const root = path.resolve(dataDir);
  const requested = { kafkaPort, kafkaControllerPort, postgresPort, mongoPort };
  assertNotRunning(root);
  // Fail on a taken port before a possibly long first install.
  await reservePorts(requested);
  const tools = await install(log);
  const ports = await reservePorts(requested);

  if (fresh) wipe(root);
  if (isRoot()) sweepFallbackHomes(log);
  const logsDir = path.join(root, 'logs');
  fs.mkdirSync(logsDir, { recursive: true });

  const servers = {};
  const onServer = (server) => {
    servers[server.name] = server;
    server.onUnexpectedExit = (exit) =>
      log('infra.server.exited', {
        server: server.name,
        code: exit.code,
        signal: exit.signal,
        logFile: server.logFiles.at(-1),
      });
  };
  const common = { dataDir: root, logsDir, log, onServer };

  // The first failure stops what already runs, so the other start fails fast instead of
  // waiting out its own timeout; the second stopAll catches a server spawned meanwhile.
  let firstFailure;
  const abortOnFailure = (error) => {
    firstFailure ??= error;

    return stopAll(servers);
  };
  await Promise.all([
    startPostgres({ ...common, binDir: tools.postgresBinDir, port: ports.postgresPort, durable })
      .then(() =>
        startFerretdb({
          ...common,
          binary: tools.ferretdb,
          port: ports.mongoPort,
          postgresPort: ports.postgresPort,
        }),
      )
      .catch(abortOnFailure),
    startKafka({
      ...common,
      tools,
      port: ports.kafkaPort,
      controllerPort: ports.kafkaControllerPort,
      partitions,
    }).catch(abortOnFailure),
  ]);
  if (firstFailure) {
    await stopAll(servers);
    throw firstFailure;
  }

  const kafkaBrokers = `127.0.0.1:${ports.kafkaPort}`;
  const mongoUrl = `mongodb://127.0.0.1:${ports.mongoPort}/`;
  writeState(root, { kafkaBrokers, mongoUrl, ports, servers });
  log('infra.started', { kafkaBrokers, mongoUrl, dataDir: root, ms: Date.now() - startedAt });

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      const stopStartedAt = Date.now();
      log('infra.stopping', {});
      await stopAll(servers);
      removeState(root);
      log('infra.stopped', { ms: Date.now() - stopStartedAt });
    })();

    return stopping;
  };

  return { kafkaBrokers, mongoUrl, stop };
}

async function stopAll(servers) {
  // FerretDB goes before the PostgreSQL it depends on; Kafka is independent.
  await Promise.all([servers.kafka, servers.ferretdb].filter(Boolean).map(stopServer));
  if (servers.postgres) await stopPostgres(servers.postgres);
  if (liveServers.size === 0) removeHooks();
}

function wipe(dataDir) {
  const unsafe = [path.parse(dataDir).root, os.homedir(), repoRoot];
  if (unsafe.includes(dataDir) || repoRoot.startsWith(`${dataDir}${path.sep}`)) {
    throw new InfraError(`refusing to wipe ${dataDir}: it holds more than local server data`);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(fallbackPostgresHome(dataDir), { recursive: true, force: true });
}

function assertNotRunning(dataDir) {
  const state = readState(dataDir);
  if (!state || !isAlive(state.ownerPid)) return;
  throw new InfraError(
    `local infra is already running from ${dataDir} (pid ${state.ownerPid}): use ` +
      `${state.kafkaBrokers} and ${state.mongoUrl}, or stop it with node tools/infra/cli.mjs down`,
  );
}

function writeState(dataDir, { kafkaBrokers, mongoUrl, ports, servers }) {
  const state = {
    ownerPid: process.pid,
    startedAt: new Date().toISOString(),
    kafkaBrokers,
    mongoUrl,
    servers: {
      postgres: {
        pid: servers.postgres.pid,
        port: ports.postgresPort,
        dataDir: servers.postgres.pgData,
        stopCommand: servers.postgres.stopCommand,
      },
      ferretdb: { pid: servers.ferretdb.pid, port: ports.mongoPort },
      kafka: {
        pid: servers.kafka.pid,
        port: ports.kafkaPort,
        controllerPort: ports.kafkaControllerPort,
      },
    },
  };
  fs.writeFileSync(path.join(dataDir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

function readState(dataDir) {
  const text = readIfExists(path.join(dataDir, STATE_FILE));
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function removeState(dataDir) {
  const state = readState(dataDir);
  if (state?.ownerPid === process.pid) fs.rmSync(path.join(dataDir, STATE_FILE), { force: true });
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function run(command, args, { cwd, env = process.env, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    const keep = (text, chunk) => (text + chunk).slice(-64_000);
    child.stdout.on('data', (chunk) => {
      stdout = keep(stdout, chunk);
      output = keep(output, chunk);
    });
    child.stderr.on('data', (chunk) => {
      output = keep(output, chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 128, signal, stdout, output });
    });
  });
}

function missingTool(name, purpose, hint) {
  return (error) => {
    if (error.code !== 'ENOENT') throw error;
    throw new InfraError(`${name} is needed to ${purpose} but was not found; install it (${hint})`);
  };
}

function hashFiles(files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(fs.readFileSync(file));

  return hash.digest('hex').slice(0, 12);
}

function readIfExists(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);

    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Whether a process with this id exists (EPERM: it does, but is not ours). */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);

    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

// Each start keeps the previous run's log beside the new one and drops older ones, so logs
// stay small and a crash before a restart can still be read.
function rotateLogs(...files) {
  for (const file of files) {
    if (fs.existsSync(file)) fs.renameSync(file, `${file}.previous`);
  }
}

function readTail(file, bytes = 16_384) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = fs.fstatSync(fd);
    const buffer = Buffer.alloc(Math.min(size, bytes));
    fs.readSync(fd, buffer, 0, buffer.length, size - buffer.length);

    return buffer.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

function lastLines(text, count = 40) {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
