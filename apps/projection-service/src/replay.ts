import 'reflect-metadata';

import { EventStore } from '@profile-groups/event-store';
import { Logger } from '@profile-groups/observability';
import { connectPlatform, describeTargets } from '@profile-groups/platform';

import { replayMemberships, replayPublisher } from './membership-replay';
import { loadProjectionConfig } from './projection.config';

const USAGE = 'usage: npm run replay:memberships -- <topic prefix>   (e.g. replay-2026-12-04.)';
const PREFIX = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * `npm run replay:memberships -- <prefix>`: publishes the whole membership history
 * from the event store on `<prefix>memberships`, for a new downstream consumer to read
 * from the beginning (point it at that prefix). The live topic is left alone.
 */
async function main(argv: readonly string[]): Promise<number> {
  const config = loadProjectionConfig();
  const [prefix] = argv;
  if (argv.length !== 1 || prefix === undefined || !PREFIX.test(prefix)) {
    process.stderr.write(`${USAGE}\n`);

    return 2;
  }
  if (prefix === config.KAFKA_TOPIC_PREFIX) {
    process.stderr.write(
      `replay: ${prefix} is the live prefix; replay onto a topic of its own.\n${USAGE}\n`,
    );

    return 2;
  }
  process.stderr.write(`replay: ${describeTargets(config, `${prefix}memberships`)}\n`);
  const platform = await connectPlatform(config, 'replay', new Logger('replay', 'warn'));
  const publisher = await replayPublisher(
    platform.kafka,
    prefix,
    config.KAFKA_TOPIC_PARTITIONS,
    config.KAFKA_MAX_MESSAGE_BYTES,
  );
  try {
    const totals = await replayMemberships(new EventStore(platform.db), publisher, (p) =>
      process.stderr.write(`replay: ${p.events} events of ${p.pairs} pairs published\n`),
    );
    process.stdout.write(
      `replay: ${totals.events} membership events of ${totals.pairs} pairs on ${prefix}memberships` +
        (totals.refused > 0 ? ` (${totals.refused} refused by the broker)` : '') +
        '\n',
    );

    return totals.refused > 0 ? 1 : 0;
  } finally {
    await publisher.disconnect();
    await platform.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `replay failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(2);
  },
);
