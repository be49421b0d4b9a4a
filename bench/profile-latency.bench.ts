// Latency from a profile upsert on Kafka to its MemberAdded on the membership topic,
// under a steady stream of profile updates with 100 active dynamic groups. The three
// apps run as processes on the real servers, as in production.
//
//   npm run bench:latency -- --groups 100 --profiles 2000 --rate 20 --seconds 30
import { randomUUID } from 'node:crypto';

import { CE, type JsonObject, topicName } from '@profile-groups/contracts';
import { createKafka, KafkaEventPublisher } from '@profile-groups/messaging';
import {
  type AppName,
  freePort,
  generateProfile,
  profileUpserted,
  publishProfiles,
  type RunningApp,
  silentLogger,
  startApp,
  waitFor,
} from '@profile-groups/testing';
import { MongoClient } from 'mongodb';

import { benchServers, numberArg, percentile } from './servers';

const TIERS = ['bronze', 'silver', 'gold', 'platinum'];

/** Varied realistic rules for the 99 groups that load the evaluator. */
function loadRule(i: number): JsonObject {
  switch (i % 4) {
    case 0:
      return { '>=': [{ var: 'total_spend' }, 100 * (i % 40)] };
    case 1:
      return { in: [{ var: 'tier' }, TIERS.slice(i % 3)] };
    case 2:
      return {
        and: [
          { '==': [{ var: 'consent.email' }, true] },
          { some: [{ var: 'tags' }, { '==': [{ var: '' }, ['vip', 'outdoor', 'kids'][i % 3]!] }] },
        ],
      };
    default:
      return {
        and: [
          { var: 'joined_at' },
          { '<=': [{ days_since: { var: 'joined_at' } }, 30 * (i % 24)] },
        ],
      };
  }
}

async function main(): Promise<void> {
  const groupCount = numberArg('groups', 100);
  const profileCount = numberArg('profiles', 2000);
  const rate = numberArg('rate', 20);
  const seconds = numberArg('seconds', 30);
  const servers = await benchServers();
  const name = `bench-latency-${randomUUID().slice(0, 8)}`;
  const env: Record<string, string> = {
    KAFKA_BROKERS: servers.kafkaBrokers,
    MONGODB_URL: servers.mongoUrl,
    MONGODB_DATABASE: name.replace(/-/g, '_'),
    KAFKA_TOPIC_PREFIX: `${name}.`,
    KAFKA_CONSUMER_GROUP_PREFIX: `${name}.`,
    KAFKA_TOPIC_PARTITIONS: '3',
    AUTH_MODE: 'local',
    RELAY_POLL_INTERVAL_MS: '10',
  };
  const apps: RunningApp[] = [];
  const kafka = createKafka(
    { brokers: servers.kafkaBrokers.split(','), clientId: name },
    silentLogger,
  );
  const mongo = await MongoClient.connect(servers.mongoUrl);
  const collector = kafka.consumer({ groupId: `${name}.collector`, maxWaitTimeInMs: 10 });
  try {
    for (const app of ['projection-service', 'evaluation-worker', 'command-api'] as AppName[]) {
      apps.push(await startApp(app, await freePort(), env));
    }
    const api = apps[2]!.baseUrl;
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${api}/api${path}`, {
        method,
        headers: { authorization: 'Bearer local-dev-token', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const parsed = (await response.json()) as { data: { id: number } };
      if (response.status >= 300) throw new Error(`${method} ${path}: ${JSON.stringify(parsed)}`);

      return parsed.data;
    };

    const profiles = Array.from({ length: profileCount }, (_, i) => generateProfile(i, 5));
    await publishProfiles(kafka, env.KAFKA_TOPIC_PREFIX!, profiles);
    const store = mongo.db(env.MONGODB_DATABASE).collection('evaluation_profiles');
    await waitFor(async () => (await store.countDocuments({})) >= profileCount, {
      timeoutMs: 600_000,
      intervalMs: 500,
      what: 'profiles loaded',
    });

    const groups: number[] = [];
    for (let i = 0; i < groupCount; i++) {
      const probe = i === groupCount - 1;
      const group = await call('POST', '/v3/groups/definitions', {
        name: probe ? 'Probe' : `Load ${i}`,
        handle: probe ? 'probe' : `load-${i}`,
        type: 'dynamic',
      });
      await call('POST', `/v3/groups/definitions/${group.id}/rules`, {
        type: 'inclusion',
        rule: probe ? { '==': [{ var: 'probe' }, true] } : loadRule(i),
      });
      groups.push(group.id);
    }
    const probeGroup = groups.at(-1)!;
    // Every group's first refresh must be over before measuring the steady state.
    await waitFor(
      async () => {
        const done = await mongo
          .db(env.MONGODB_DATABASE)
          .collection('rm_snapshots')
          .countDocuments({ status: 'completed' });

        return done >= groupCount;
      },
      { timeoutMs: 900_000, intervalMs: 1000, what: 'first refresh of every group' },
    );

    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    await collector.connect();
    await collector.subscribe({ topics: [topicName(env.KAFKA_TOPIC_PREFIX!, 'memberships')] });
    await collector.run({
      eachMessage: ({ message }) => {
        if (String(message.headers?.[CE.type] ?? '') !== 'MemberAdded') return Promise.resolve();
        const data = JSON.parse(message.value!.toString()) as {
          group_definition_id: number;
          profile_id: string;
        };
        const sent =
          data.group_definition_id === probeGroup ? sentAt.get(data.profile_id) : undefined;
        if (sent !== undefined) {
          latencies.push(Date.now() - sent);
          sentAt.delete(data.profile_id);
        }

        return Promise.resolve();
      },
    });
    const publisher = new KafkaEventPublisher(kafka, env.KAFKA_TOPIC_PREFIX!, '/profile-platform');
    await publisher.connect();

    // Each update turns one profile's probe flag on (it joins the probe group) or off;
    // all groups evaluate every update.
    const probing = new Set<string>();
    const interval = 1000 / rate;
    const end = Date.now() + seconds * 1000;
    let sent = 0;
    for (let next = Date.now(); next < end; next += interval) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
      const profile = profiles[Math.floor(Math.random() * profiles.length)]!;
      const id = profile.profile_id;
      const joining = !probing.has(id);
      if (joining) probing.add(id);
      else probing.delete(id);
      const envelope = profileUpserted({ ...profile, probe: joining });
      // A leave right after a join may reach the worker in the same batch, which then
      // evaluates only the latest data: that join is never announced, so stop timing it.
      if (joining) sentAt.set(id, Date.now());
      else sentAt.delete(id);
      await publisher.publish([envelope]);
      sent++;
    }
    await waitFor(() => sentAt.size === 0, {
      timeoutMs: 60_000,
      what: 'the last MemberAdded',
    }).catch(() => undefined);
    await publisher.disconnect();

    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      `groups ${groupCount}, profiles ${profileCount}, ${sent} updates at ${rate}/s over ${seconds} s`,
    );
    console.log(
      `upsert -> MemberAdded: n=${sorted.length} p50=${percentile(sorted, 50)} ms ` +
        `p99=${percentile(sorted, 99)} ms max=${sorted.at(-1)} ms (unanswered: ${sentAt.size})`,
    );
    console.log(
      `reproduce: npm run bench:latency -- --groups ${groupCount} --profiles ${profileCount} --rate ${rate} --seconds ${seconds}`,
    );
  } finally {
    await collector.disconnect().catch(() => undefined);
    for (const app of apps.reverse()) await app.stop().catch(() => undefined);
    await mongo
      .db(env.MONGODB_DATABASE)
      .dropDatabase()
      .catch(() => undefined);
    await mongo.close();
    await servers.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
