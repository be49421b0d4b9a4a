import { spawn } from 'node:child_process';
import path from 'node:path';

import { OUTBOX_COLLECTION } from '@profile-groups/event-store';
import { LIVE_COLLECTIONS } from '@profile-groups/read-models';
import { testServers, waitFor } from '@profile-groups/testing';
import { MongoClient } from 'mongodb';

import { System } from './system';

const repoRoot = path.resolve(__dirname, '../../..');

function runVerify(env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'dist/apps/projection-service/src/verify.js')],
      {
        env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * Guarantees 3 and 4: SIGKILL the relay's process (projection-service) and the worker
 * in the middle of a stream of commands; after restart the read models equal a
 * rebuild from the full history, and `verify` says so (and catches a corruption).
 */
describe('crash recovery', () => {
  const system = new System('e2e-crash');
  let mongo: MongoClient;

  beforeAll(async () => {
    await system.start('projection-service', 'evaluation-worker', 'command-api');
    mongo = await MongoClient.connect(testServers().mongoUrl);
  });

  afterAll(async () => {
    await system.stopAll();
    await mongo.close();
  });

  it('loses nothing when the relay, projection and worker are killed mid-stream', async () => {
    const created = await system.api('POST', '/v3/groups/definitions', {
      name: 'Crash test',
      handle: 'crash-test',
      type: 'static',
    });
    expect(created.status).toBe(201);
    const groupId = created.body.data.id;
    const members = new Set<string>();

    const commands = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const id = `p-${i}`;
        const added = await system.api('POST', `/v3/groups/definitions/${groupId}/profiles`, {
          profile_ids: [id, `${id}-b`],
        });
        expect(added.status).toBe(201);
        members.add(id).add(`${id}-b`);
        if (i % 3 === 0) {
          const removed = await system.api(
            'POST',
            `/v3/groups/definitions/${groupId}/profiles/${id}/remove`,
            { removed_reason: 'crash test' },
          );
          expect(removed.status).toBe(200);
          members.delete(id);
        }
      }
    };

    await commands(0, 40);
    await system.kill('projection-service');
    await system.kill('evaluation-worker');
    await commands(40, 80);
    await system.start('projection-service');
    await commands(80, 100);
    await system.kill('projection-service');
    await commands(100, 120);
    await system.start('projection-service', 'evaluation-worker');

    const db = mongo.db(system.database);
    await waitFor(async () => (await db.collection(OUTBOX_COLLECTION).countDocuments({})) === 0, {
      timeoutMs: 60_000,
      what: 'outbox drained',
    });
    await waitFor(
      async () => {
        const view = await db.collection(LIVE_COLLECTIONS.definitions).findOne({ _id: groupId });

        return view?.current_member_count === members.size;
      },
      { timeoutMs: 60_000, what: `current_member_count ${members.size}` },
    );

    const verified = await runVerify(system.env);
    expect(verified.output).toContain('verify: no differences');
    expect(verified.code).toBe(0);

    // verify is not a rubber stamp: a corrupted read model is reported and fails it.
    await db
      .collection(LIVE_COLLECTIONS.definitions)
      .updateOne({ _id: groupId }, { $set: { current_member_count: 1 } });
    const corrupted = await runVerify(system.env);
    expect(corrupted.code).toBe(1);
    expect(corrupted.output).toContain(`definitions ${groupId} current_member_count`);
    // Undone, so that the next test starts from read models that equal the history.
    await db
      .collection(LIVE_COLLECTIONS.definitions)
      .updateOne({ _id: groupId }, { $set: { current_member_count: members.size } });
  });

  it('converges with all three group types when each app, the API included, is killed midway', async () => {
    const api = (method: string, route: string, body?: unknown) =>
      system.api(method, `/v3${route}`, body);
    expect(
      (
        await api('POST', '/groups/definitions', {
          name: 'Gold',
          handle: 'k-gold',
          type: 'dynamic',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await api('POST', '/groups/definitions/k-gold/rules', {
          type: 'inclusion',
          rule: { '==': [{ var: 'tier' }, 'gold'] },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await api('POST', '/groups/definitions', {
          name: 'Clients',
          handle: 'k-clients',
          type: 'favourite',
          source_type: 'stylist-client',
        })
      ).status,
    ).toBe(201);
    expect(
      (await api('POST', '/profiles/k-stylist/groups', { group_definition_id: 'k-clients' }))
        .status,
    ).toBe(201);

    const tiers = new Map<string, string>();
    const accepted = new Set<string>();
    // A burst of writes; whatever the API answered 2xx must be reflected, the rest may not.
    const burst = async (from: number, to: number) => {
      await Promise.all(
        Array.from({ length: to - from }, async (_, k) => {
          const i = from + k;
          const tier = i % 2 === 0 ? 'gold' : 'silver';
          const put = await api('PUT', `/profiles/k-${i}`, { tier }).catch(() => null);
          if (put?.status === 200) tiers.set(`k-${i}`, tier);
          const status = i % 3 === 0 ? 'pending' : 'accepted';
          const connected = await api('PUT', `/profiles/k-stylist/connections/k-${i}`, {
            type: 'stylist-client',
            status,
          }).catch(() => null);
          if (connected?.status === 200) {
            if (status === 'accepted') accepted.add(`k-${i}`);
            else accepted.delete(`k-${i}`);
          }
        }),
      );
    };

    await burst(0, 20);
    await system.kill('evaluation-worker');
    await burst(20, 40);
    const inFlight = burst(40, 60);
    await system.kill('command-api');
    await inFlight;
    await system.start('command-api', 'evaluation-worker');
    // The writes the dying API never answered may or may not be stored: sent again,
    // their outcome is known (both are upserts).
    await burst(40, 60);
    await burst(60, 80);
    await system.kill('projection-service');
    await burst(80, 100);
    await system.start('projection-service');

    const expectedGold = [...tiers].filter(([, tier]) => tier === 'gold').length;
    const count = async (route: string) =>
      (await api('GET', route)).body?.data?.current_member_count as number | undefined;
    await waitFor(async () => (await count('/groups/definitions/k-gold')) === expectedGold, {
      timeoutMs: 90_000,
      what: `${expectedGold} gold members`,
    });
    await waitFor(
      async () => (await count('/profiles/k-stylist/groups/k-clients')) === accepted.size,
      { timeoutMs: 90_000, what: `${accepted.size} clients` },
    );
    const db = mongo.db(system.database);
    await waitFor(async () => (await db.collection(OUTBOX_COLLECTION).countDocuments({})) === 0, {
      timeoutMs: 60_000,
      what: 'outbox drained',
    });

    const verified = await runVerify(system.env);
    expect(verified.output).toContain('verify: no differences');
    expect(verified.code).toBe(0);
  });
});
