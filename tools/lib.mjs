// Small helpers shared by the project's own scripts (start, test, build). Node
// built-ins only: these run before `npm ci` has installed anything.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function say(message) {
  process.stdout.write(`[profile-groups] ${message}\n`);
}

/** Runs a command in the repo, inheriting stdio; resolves with its exit code. */
export function run(command, args, { env = {}, quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
      env: { ...process.env, ...env },
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Installs dependencies with `npm ci` when node_modules is missing or older than the lock. */
/**
 * Runs `npm ci` unless node_modules was installed from this very package-lock.json. The
 * lock's content is compared, not its time: a checkout or a second worktree sharing
 * node_modules touches the file without changing what is installed.
 */
export function ensureDependencies() {
  const lock = fs.readFileSync(path.join(repoRoot, 'package-lock.json'));
  const digest = createHash('sha256').update(lock).digest('hex');
  const stamp = path.join(repoRoot, 'node_modules', '.profile-groups-lock.sha256');
  const installed = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : null;
  if (installed === digest) return;
  say('installing npm dependencies (npm ci)...');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    throw new Error('npm ci failed');
  }
  fs.writeFileSync(stamp, `${digest}\n`);
}

/** Compiles apps and libraries to dist/ with swc (type checking is a separate step). */
export async function build() {
  fs.rmSync(path.join(repoRoot, 'dist'), { recursive: true, force: true });
  const code = await run(path.join(repoRoot, 'node_modules/.bin/swc'), [
    'apps',
    'libs',
    '-d',
    'dist',
    '--ignore',
    '**/*.spec.ts,**/*.int-spec.ts,**/*.e2e-spec.ts',
    '--quiet',
  ]);
  if (code !== 0) throw new Error('build failed');
}

/** Kafka and FerretDB from the project's own scripts, on free ports in a scratch folder. */
export async function startTestInfra() {
  const { ensureInstalled, startInfra } = await import('./infra/index.mjs');
  say('starting Kafka and FerretDB for the integration tests...');
  await ensureInstalled({ log: (line) => say(line) });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'profile-groups-test-'));
  const started = await startInfra({
    dataDir,
    kafkaPort: 0,
    kafkaControllerPort: 0,
    postgresPort: 0,
    mongoPort: 0,
    fresh: true,
    durable: false,
  });

  return {
    ...started,
    stop: async () => {
      await started.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
