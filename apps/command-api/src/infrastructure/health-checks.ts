import { type Admin, type Kafka } from 'kafkajs';
import { type Db } from 'mongodb';

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
const CHECK_TIMEOUT_MS = 2000;

/** One dependency the service needs; `check` rejects with the reason when it is down. */
export interface HealthCheck {
  readonly name: string;
  check(): Promise<void>;
  close?(): Promise<void>;
}

export class MongoHealthCheck implements HealthCheck {
  readonly name = 'mongodb';

  constructor(private readonly db: Db) {}

  async check(): Promise<void> {
    await withTimeout(this.db.command({ ping: 1 }, { timeoutMS: CHECK_TIMEOUT_MS }), 'ping');
  }
}

/** Asks the cluster to describe itself over one admin connection, opened on first use. */
export class KafkaHealthCheck implements HealthCheck {
  readonly name = 'kafka';
  private admin: Admin | null = null;
  private connecting: Promise<Admin> | null = null;

  constructor(private readonly kafka: Kafka) {}

  async check(): Promise<void> {
    const admin = await withTimeout(this.connect(), 'connect');
    try {
      await withTimeout(admin.describeCluster(), 'describeCluster');
    } catch (error) {
      // Dropping a client to a stalled broker may itself hang; the answer must not wait.
      void this.close().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    this.connecting = null;
    await admin?.disconnect();
  }

  private connect(): Promise<Admin> {
    if (this.admin !== null) return Promise.resolve(this.admin);
    this.connecting ??= (async () => {
      // No client retries: a health check answers now, and the next one tries again.
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      try {
        await admin.connect();
        this.admin = admin;

        return admin;
      } finally {
        this.connecting = null;
      }
    })();

    return this.connecting;
  }
}

async function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out`)), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
