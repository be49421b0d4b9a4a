import {
  type AppName,
  freePort,
  type RunningApp,
  startApp,
  testServers,
  uniqueName,
} from '@profile-groups/testing';

/** The three apps as separate processes on one isolated database and topic prefix. */
export class System {
  readonly env: Record<string, string>;
  readonly database: string;
  readonly topicPrefix: string;
  readonly apps = new Map<AppName, RunningApp>();
  private readonly ports = new Map<AppName, number>();

  constructor(readonly name: string) {
    const servers = testServers();
    this.database = uniqueName(name).replace(/-/g, '_');
    this.topicPrefix = `${uniqueName(name)}.`;
    this.env = {
      KAFKA_BROKERS: servers.kafkaBrokers.join(','),
      MONGODB_URL: servers.mongoUrl,
      MONGODB_DATABASE: this.database,
      KAFKA_TOPIC_PREFIX: this.topicPrefix,
      KAFKA_CONSUMER_GROUP_PREFIX: `${uniqueName(name)}.`,
      KAFKA_TOPIC_PARTITIONS: '3',
      AUTH_MODE: 'local',
      RELAY_POLL_INTERVAL_MS: '20',
    };
  }

  async start(...names: AppName[]): Promise<void> {
    for (const name of names) {
      const port = this.ports.get(name) ?? (await freePort());
      this.ports.set(name, port);
      this.apps.set(name, await startApp(name, port, this.env));
    }
  }

  app(name: AppName): RunningApp {
    const app = this.apps.get(name);
    if (!app) throw new Error(`${name} is not running`);

    return app;
  }

  async kill(name: AppName): Promise<void> {
    await this.app(name).kill();
    this.apps.delete(name);
  }

  async stopAll(): Promise<void> {
    for (const app of this.apps.values()) await app.stop();
    this.apps.clear();
  }

  /** Calls the command API with the local all-scopes token. */
  async api(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await fetch(`${this.app('command-api').baseUrl}/api${path}`, {
      method,
      headers: {
        authorization: 'Bearer local-dev-token',
        'content-type': 'application/json',
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      // Left as text: the assertion will show it.
    }

    return { status: response.status, body: parsed, headers: response.headers };
  }
}
