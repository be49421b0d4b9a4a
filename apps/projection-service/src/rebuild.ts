import 'reflect-metadata';

import { EventStore } from '@profile-groups/event-store';
import { Logger } from '@profile-groups/observability';
import { connectPlatform, describeTargets } from '@profile-groups/platform';
import {
  READ_MODEL_CATEGORIES,
  READ_MODEL_NAMES,
  type ReadModelName,
  replaceReadModels,
  type ReplaceProgress,
} from '@profile-groups/read-models';

import { loadProjectionConfig } from './projection.config';

const USAGE = `usage: npm run rebuild -- [${READ_MODEL_NAMES.join('|')} ...]`;

/**
 * `npm run rebuild [-- <read model> ...]`: rebuilds read models (all by default) from
 * the full history while the system keeps running: aside first, then switched into
 * place, then caught up with what was stored meanwhile. Progress goes to stderr, as a
 * bar on a terminal and as lines otherwise.
 */
async function main(argv: readonly string[]): Promise<number> {
  const unknown = argv.filter((name) => !(READ_MODEL_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`rebuild: unknown read model ${unknown.join(', ')}\n${USAGE}\n`);

    return 2;
  }
  const only = argv.length === 0 ? READ_MODEL_NAMES : (argv as ReadModelName[]);
  const config = loadProjectionConfig();
  process.stderr.write(`rebuild: ${describeTargets(config)}\n`);
  const platform = await connectPlatform(config, 'rebuild', new Logger('rebuild', 'warn'));
  try {
    const store = new EventStore(platform.db);
    const totals = new Map<string, number>();
    for (const category of READ_MODEL_CATEGORIES) {
      totals.set(category, await store.countEvents(category));
    }
    const show = progressPrinter(totals);
    await replaceReadModels(store, platform.db, { only, onProgress: show });
    process.stderr.write(`rebuild: done (${only.join(', ')})\n`);

    return 0;
  } finally {
    await platform.close();
  }
}

function progressPrinter(totals: ReadonlyMap<string, number>): (p: ReplaceProgress) => void {
  const tty = process.stderr.isTTY;
  const width = 30;
  let lastLine = 0;

  return (progress) => {
    if (progress.phase !== 'rebuild') {
      if (tty) process.stderr.write('\n');
      process.stderr.write(`rebuild: ${describe(progress)}\n`);

      return;
    }
    // Counted before the rebuild began; events stored since may take it past that.
    const total = Math.max(totals.get(progress.category) ?? 0, progress.events);
    const share = total === 0 ? 1 : Math.min(1, progress.events / total);
    const text = `${progress.category.padEnd(16)} ${progress.events}/${total} events, ${progress.streams} streams`;
    if (tty) {
      const filled = Math.round(share * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`);
      if (progress.events >= total) process.stderr.write('\n');
    } else if (Date.now() - lastLine > 2_000 || progress.events >= total) {
      lastLine = Date.now();
      process.stderr.write(`rebuild: ${text} (${Math.round(share * 100)}%)\n`);
    }
  };
}

function describe(progress: Exclude<ReplaceProgress, { phase: 'rebuild' }>): string {
  switch (progress.phase) {
    case 'resume':
      return `finishing the rebuild started at ${progress.run.started_at}, which stopped during its ${progress.run.phase} phase`;
    case 'switch':
      return `switched ${progress.readModel}`;
    case 'catch-up':
      return progress.applied === 0
        ? `catching up with ${progress.total} events stored meanwhile`
        : `caught up ${progress.applied}/${progress.total}`;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(2);
  },
);
