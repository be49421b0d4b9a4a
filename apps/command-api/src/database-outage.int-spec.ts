import net from 'node:net';

import { type NestExpressApplication } from '@nestjs/platform-express';
import { silentLogger, testServers, uniqueName } from '@profile-groups/testing';

import { call } from '../test/in-memory-api';
import { loadCommandApiConfig } from './app.config';
import { createCommandApi } from './app.factory';

/**
 * A TCP relay to the real MongoDB server that can stop passing bytes while keeping
 * every connection open: what clients see of a server frozen with SIGSTOP.
 */
class FreezableRelay {
  private frozen = false;
  private readonly held: Array<() => void> = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly server = net.createServer((client) => this.accept(client));

  constructor(private readonly target: { host: string; port: number }) {}

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));

    return (this.server.address() as net.AddressInfo).port;
  }

  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    for (const release of this.held.splice(0)) release();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.target);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    this.pipe(client, upstream);
    this.pipe(upstream, client);
  }

  /** Forwards chunks in order; while frozen they wait, as in a stopped server's buffers. */
  private pipe(from: net.Socket, to: net.Socket): void {
    let queue = Promise.resolve();
    from.on('data', (chunk) => {
      queue = queue.then(async () => {
        if (this.frozen) await new Promise<void>((resolve) => this.held.push(resolve));
        to.write(chunk);
      });
    });
  }
}

describe('command API while MongoDB stops answering', () => {
  let relay: FreezableRelay;
  let app: NestExpressApplication;

  beforeAll(async () => {
    const mongo = new URL(testServers().mongoUrl);
    relay = new FreezableRelay({ host: mongo.hostname, port: Number(mongo.port) });
    const port = await relay.listen();
    const config = loadCommandApiConfig({
      MONGODB_URL: `mongodb://127.0.0.1:${port}/`,
      MONGODB_DATABASE: uniqueName('outage').replace(/-/g, '_'),
      MONGODB_TIMEOUT_MS: '1000',
    });
    app = await createCommandApi(config, { logger: silentLogger, healthChecks: [] });
    await app.init();
  });

  afterAll(async () => {
    relay.thaw();
    await app.close();
    await relay.close();
  });

  it('answers 503 with Retry-After during the outage, and serves again after it', async () => {
    const before = await call(app, 'PUT', '/api/v3/profiles/p-1', { body: { tier: 'gold' } });
    expect(before.status).toBe(200);

    relay.freeze();
    const read = await call(app, 'GET', '/api/v3/groups/definitions/1');
    const write = await call(app, 'PUT', '/api/v3/profiles/p-1', { body: { tier: 'silver' } });
    relay.thaw();

    for (const reply of [read, write]) {
      expect(reply.status).toBe(503);
      expect(reply.headers['retry-after']).toBe('5');
      expect(['database_unavailable', 'write_outcome_unknown']).toContain(reply.body.code);
    }
    // Nothing of the read was a write.
    expect(read.body.code).toBe('database_unavailable');

    const after = await call(app, 'PUT', '/api/v3/profiles/p-1', { body: { tier: 'bronze' } });
    expect(after.status).toBe(200);
    // Version 3 if the frozen write landed after all, which only an unknown outcome allows.
    expect([
      ['database_unavailable', 2],
      ['write_outcome_unknown', 2],
      ['write_outcome_unknown', 3],
    ]).toContainEqual([write.body.code, after.body.data.version]);
  });
});
