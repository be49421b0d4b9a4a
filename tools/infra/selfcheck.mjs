// Proves the local infrastructure end to end with the same clients the apps use: starts
// every server on free ports in a temporary folder, exercises kafkajs and the mongodb driver,
// stops everything and exits 0 when all checks passed, 1 otherwise.
//
//   node tools/infra/selfcheck.mjs
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';

import { createTopics, ensureInstalled, startInfra } from './index.mjs';

const suffix = `${process.pid}-${Date.now().toString(36)}`;
const results = [];
const timings = {};

async function check(name, body) {
  const startedAt = Date.now();
  try {
    const detail = await body();
    results.push({ name, ok: true, detail, ms: Date.now() - startedAt });
  } catch (error) {
    results.push({ name, ok: false, detail: error.message, ms: Date.now() - startedAt });
  }
}

async function timed(name, body) {
  const startedAt = Date.now();
  try {
    return await body();
  } finally {
    timings[name] = Date.now() - startedAt;
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function waitFor(condition, { timeoutMs, what }) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function checkKafka(kafkaBrokers) {
  const topic = `selfcheck.events.${suffix}`;
  const groupId = `selfcheck-${suffix}`;
  const kafka = new Kafka({
    clientId: 'selfcheck',
    brokers: [kafkaBrokers],
    logLevel: logLevel.NOTHING,
  });
  const messages = ['a', 'b', 'c'].flatMap((key) =>
    [1, 2].map((n) => ({
      key: `profile-${key}`,
      value: JSON.stringify({ n }),
      headers: { 'correlation-id': `${key}-${n}` },
    })),
  );

  await check('kafka: create topic (twice, idempotent)', async () => {
    const first = await createTopics({ kafkaBrokers, topics: [topic], partitions: 3 });
    const second = await createTopics({ kafkaBrokers, topics: [topic], partitions: 3 });
    assert(first.length === 1 && second.length === 0, `created ${first} then ${second}`);

    return `${topic} with 3 partitions`;
  });

  await check('kafka: idempotent produce with key and headers', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const acks = await producer.send({ topic, acks: -1, messages });

      return `${messages.length} messages, ${acks.length} partitions acknowledged`;
    } finally {
      await producer.disconnect();
    }
  });

  const received = [];
  // A short fetch wait lets disconnect() return without sitting out a long poll.
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  await check('kafka: consume in a group and commit', async () => {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        received.push({ partition, message });
        const next = (BigInt(message.offset) + 1n).toString();
        await consumer.commitOffsets([{ topic, partition, offset: next }]);
      },
    });
    await waitFor(() => received.length >= messages.length, {
      timeoutMs: 30_000,
      what: `${messages.length} messages`,
    });
    const first = received.find(({ message }) => message.key.toString() === 'profile-a');
    const header = first?.message.headers['correlation-id']?.toString();
    assert(header?.startsWith('a-'), `header correlation-id came back as ${header}`);
    const partitionsPerKey = new Map();
    for (const { partition, message } of received) {
      const key = message.key.toString();
      partitionsPerKey.set(key, new Set([...(partitionsPerKey.get(key) ?? []), partition]));
    }
    assert(
      [...partitionsPerKey.values()].every((set) => set.size === 1),
      'one key landed on more than one partition',
    );

    return `${received.length} messages, keys and headers intact`;
  });
  await consumer.disconnect();

  await check('kafka: committed offsets read back', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const ends = await admin.fetchTopicOffsets(topic);
      // A partition that got no message has nothing committed: -1, against an end of 0.
      const offsets = committed.partitions.map(({ partition, offset }) => ({
        partition,
        offset: offset === '-1' ? '0' : offset,
      }));
      const total = offsets.reduce((sum, { offset }) => sum + Number(offset), 0);
      const matchesEnds = offsets.every(
        ({ partition, offset }) => ends.find((end) => end.partition === partition)?.high === offset,
      );
      assert(total === messages.length, `committed offsets add up to ${total}`);
      assert(matchesEnds, 'a committed offset differs from its partition end');

      return `committed offsets add up to ${total}`;
    } finally {
      await admin.disconnect();
    }
  });
}

async function checkMongo(mongoUrl) {
  const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5_000 });
  await client.connect();
  const db = client.db(`selfcheck_${suffix.replace(/-/g, '_')}`);
  try {
    const profiles = db.collection('profiles');

    await check('mongo: insert and find by equality', async () => {
      await profiles.insertOne({ _id: 'p-1', email: 'ada@example.test', tier: 'gold' });
      await profiles.insertOne({ _id: 'p-2', email: 'alan@example.test', tier: 'silver' });
      const found = await profiles.find({ tier: 'gold' }).toArray();
      assert(found.length === 1 && found[0]._id === 'p-1', `found ${JSON.stringify(found)}`);

      return 'found the one gold profile';
    });

    await check('mongo: unique index rejects a duplicate with code 11000', async () => {
      await profiles.createIndex({ email: 1 }, { unique: true, name: 'email_unique' });
      const error = await profiles.insertOne({ _id: 'p-3', email: 'ada@example.test' }).then(
        () => undefined,
        (caught) => caught,
      );
      assert(error?.code === 11000, `expected code 11000, got ${error?.code ?? 'no error'}`);

      return `duplicate key error ${error.code}`;
    });

    await check('mongo: findOneAndUpdate $inc with upsert', async () => {
      const counters = db.collection('counters');
      const update = () =>
        counters.findOneAndUpdate(
          { _id: 'profiles' },
          { $inc: { value: 1 } },
          { upsert: true, returnDocument: 'after' },
        );
      const first = await update();
      const second = await update();
      assert(first?.value === 1 && second?.value === 2, `values ${first?.value}, ${second?.value}`);

      return 'upserted at 1, incremented to 2';
    });
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
}

function printSummary() {
  for (const { name, ok, detail, ms } of results) {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} (${ms} ms): ${detail}`);
  }
  const phases = Object.entries(timings).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`);
  console.log(`timings: ${phases.join(', ')}`);
  const failed = results.filter(({ ok }) => !ok).length;
  console.log(`selfcheck: ${results.length - failed} passed, ${failed} failed`);

  return failed;
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'profile-groups-selfcheck-'));
  // As root PostgreSQL runs as user postgres, which must be able to enter the folder.
  fs.chmodSync(dataDir, 0o755);
  const log = (line) => console.log(`  ${line}`);
  let infra;
  try {
    await timed('install', () => ensureInstalled({ log }));
    infra = await timed('start', () =>
      startInfra({
        dataDir,
        kafkaPort: 0,
        kafkaControllerPort: 0,
        postgresPort: 0,
        mongoPort: 0,
        partitions: 3,
        fresh: true,
        log,
      }),
    );
    await timed('kafka checks', () => checkKafka(infra.kafkaBrokers));
    await timed('mongo checks', () => checkMongo(infra.mongoUrl));
  } catch (error) {
    results.push({ name: 'infrastructure', ok: false, detail: error.message, ms: 0 });
  } finally {
    if (infra) await timed('stop', () => infra.stop());
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  return printSummary() === 0 ? 0 : 1;
}

process.exitCode = await main();
