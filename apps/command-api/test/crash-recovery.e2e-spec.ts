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
  });
});
