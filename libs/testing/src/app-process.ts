import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

import { waitFor } from './test-infra';

export type AppName = 'command-api' | 'evaluation-worker' | 'projection-service';

const HEALTH_PATH: Record<AppName, string> = {
  'command-api': '/api/health',
  'evaluation-worker': '/health',
  'projection-service': '/health',
};

const repoRoot = path.resolve(__dirname, '../../..');

export interface RunningApp {
  readonly name: AppName;
  readonly baseUrl: string;
  readonly process: ChildProcess;
  readonly output: string[];
  /** SIGKILL: no shutdown hook runs, exactly like a crashed pod. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts one built app (dist/) as its own process and waits for its health endpoint.
 * The e2e runner builds dist/ before the e2e tests.
 */
export async function startApp(
  name: AppName,
  port: number,
  env: Record<string, string>,
): Promise<RunningApp> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/apps', name, 'src/main.js')], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited: ${output.join('')}`);
        const response = await fetch(`${baseUrl}${HEALTH_PATH[name]}`);

        return response.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: `${name} healthy` },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${name} did not become healthy: ${output.join('').slice(-3000)}`, {
      cause: error,
    });
  }

  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };

  return {
    name,
    baseUrl,
    process: child,
    output,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };
}
