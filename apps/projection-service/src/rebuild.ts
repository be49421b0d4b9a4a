import 'reflect-metadata';

import { EventStore } from '@profile-groups/event-store';
import { Logger } from '@profile-groups/observability';
import { connectPlatform } from '@profile-groups/platform';
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
      process.stderr.write(
        progress.phase === 'switch'
          ? `rebuild: switched ${progress.readModel}\n`
          : `rebuild: caught up with ${progress.events} events stored meanwhile\n`,
      );

      return;
    }
    const total = totals.get(progress.category) ?? progress.events;
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(2);
  },
);
