// npm run demo:generate -- --profiles 50000 --seed 42 --out .local/profiles.jsonl
//   [--connections connections.jsonl] [--now 2026-12-01T00:00:00Z]
//   [--brokers 127.0.0.1:9092 [--topic-prefix profile-groups.]]
// Writes one profile per line (stdout without --out), then prints one JSON line with the
// distributions and timings (on stderr when the profiles go to stdout). With --brokers
// the same profiles are also published as ProfileUpserted events on <prefix>profiles.
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { type Writable } from 'node:stream';
import { parseArgs } from 'node:util';

import { DEFAULT_TOPIC_PREFIX, topicName } from '@profile-groups/contracts';
import { createKafka } from '@profile-groups/messaging';
import { Logger } from '@profile-groups/observability';

import {
  DEFAULT_NOW,
  DistributionSummary,
  generateConnections,
  generateProfiles,
  publishProfiles,
  summarizeConnections,
} from '../src';

const USAGE =
  'usage: npm run demo:generate -- --profiles <n> --seed <0..4294967295> [--out <file.jsonl>]' +
  ' [--connections <file.jsonl>] [--now <ISO instant>] [--brokers <host:port,...>]' +
  ' [--topic-prefix <prefix>]\n';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      profiles: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      now: { type: 'string', default: DEFAULT_NOW },
      out: { type: 'string' },
      connections: { type: 'string' },
      brokers: { type: 'string' },
      'topic-prefix': { type: 'string', default: DEFAULT_TOPIC_PREFIX },
    },
  });
  const count = Number(values.profiles);
  const seed = Number(values.seed);
  if (!/^\d+$/.test(values.profiles) || !/^\d+$/.test(values.seed)) {
    process.stderr.write(USAGE);

    return 2;
  }
  const options = { seed, count, now: values.now };
  const report = (line: string) =>
    (values.out === undefined ? process.stderr : process.stdout).write(`${line}\n`);

  const started = performance.now();
  const summary = new DistributionSummary(Date.parse(values.now));
  const out = values.out === undefined ? process.stdout : fileStream(values.out);
  for (const profile of generateProfiles(options)) {
    summary.add(profile);
    await write(out, `${JSON.stringify(profile)}\n`);
  }
  await close(out);
  let connections: ReturnType<typeof summarizeConnections> | undefined;
  if (values.connections !== undefined) {
    const generated = generateConnections(generateProfiles(options), { seed });
    const file = fileStream(values.connections);
    for (const connection of generated) await write(file, `${JSON.stringify(connection)}\n`);
    await close(file);
    connections = summarizeConnections(generated);
  }
  const generateSeconds = seconds(started);

  let publishSeconds: number | undefined;
  if (values.brokers !== undefined) {
    const publishStarted = performance.now();
    const published = await publish(values.brokers, values['topic-prefix'], options);
    if (published === null) return 1;
    publishSeconds = seconds(publishStarted);
  }
  report(
    JSON.stringify({
      summary: summary.result(),
      ...(connections ? { connections } : {}),
      seconds: { generate: generateSeconds, publish: publishSeconds },
    }),
  );

  return 0;
}

async function publish(
  brokers: string,
  prefix: string,
  options: { seed: number; count: number; now: string },
): Promise<number | null> {
  const logger = new Logger('demo-generate', 'warn', (line) => process.stderr.write(`${line}\n`));
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'demo-generate' }, logger);
  const topic = topicName(prefix, 'profiles');
  const admin = kafka.admin();
  await admin.connect();
  const exists = (await admin.listTopics()).includes(topic);
  await admin.disconnect();
  if (!exists) {
    process.stderr.write(`topic ${topic} does not exist: start the apps first (npm start)\n`);

    return null;
  }
  const { published } = await publishProfiles(kafka, prefix, generateProfiles(options));

  return published;
}

async function write(stream: Writable, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

async function close(stream: Writable): Promise<void> {
  if (stream === process.stdout) return;
  stream.end();
  await once(stream, 'finish');
}

function seconds(since: number): number {
  return Math.round((performance.now() - since) / 10) / 100;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

/** A file to write, its folder made first (`.local/` is there only once npm start ran). */
function fileStream(file: string): fs.WriteStream {
  fs.mkdirSync(path.dirname(file), { recursive: true });

  return fs.createWriteStream(file);
}
