import { type Kafka } from 'kafkajs';
import { type Db, MongoClient, type MongoClientOptions } from 'mongodb';
import { ConnectionStore, ProfileStore, SnapshotArchive } from '@profile-groups/evaluation';
import { EventStore } from '@profile-groups/event-store';
import { createKafka } from '@profile-groups/messaging';
import { type Logger } from '@profile-groups/observability';
import { ReadModelQueries } from '@profile-groups/read-models';

import { type CommandApiConfig } from '../app.config';
import { Clock } from './clock';
import {
  FAVOURITE_INSTANCE_NAMESPACE,
  GROUP_HANDLE_NAMESPACE,
  HandleRegistry,
  RULE_DEFINITION_HANDLE_NAMESPACE,
} from './handle-registry';
import { type HealthCheck, KafkaHealthCheck, MongoHealthCheck } from './health-checks';

/**
 * What `createCommandApi` may be given instead of building it from the config. An
 * e2e test passes its own MongoClient (and closes it); a unit test passes in-memory
 * stand-ins for the stores and the health checks, and no server is contacted.
 */
export interface CommandApiDeps {
  readonly mongoClient?: MongoClient;
  readonly kafka?: Kafka;
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly eventStore?: EventStore;
  readonly readModels?: ReadModelQueries;
  readonly handles?: HandleRegistry;
  readonly ruleDefinitionHandles?: HandleRegistry;
  readonly favouriteInstances?: HandleRegistry;
  readonly profiles?: ProfileStore;
  readonly connections?: ConnectionStore;
  readonly snapshotResults?: SnapshotArchive;
  readonly healthChecks?: HealthCheck[];
}

/** The collaborators the Nest module provides, and how to let go of them. */
export interface CommandApiRuntime {
  readonly config: CommandApiConfig;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly eventStore: EventStore;
  readonly readModels: ReadModelQueries;
  readonly handles: HandleRegistry;
  readonly ruleDefinitionHandles: HandleRegistry;
  /** One claim per (favourite definition, owner): the instance that pair has. */
  readonly favouriteInstances: HandleRegistry;
  /** The evaluation worker's profile data and per-profile run results, read here only. */
  readonly profiles: ProfileStore;
  /** The worker's copy of every connection, read here only. */
  readonly connections: ConnectionStore;
  readonly snapshotResults: SnapshotArchive;
  readonly healthChecks: HealthCheck[];
  close(): Promise<void>;
}

export async function openRuntime(
  config: CommandApiConfig,
  deps: CommandApiDeps,
  logger: Logger,
): Promise<CommandApiRuntime> {
  const ownedClient =
    deps.mongoClient === undefined && needsMongo(deps)
      ? new MongoClient(config.MONGODB_URL, mongoClientOptions(config.MONGODB_TIMEOUT_MS))
      : null;
  const client = deps.mongoClient ?? ownedClient;
  let db: Db | undefined;
  const database = (): Db => {
    // Only called for a collaborator the deps left out, and then `needsMongo` holds.
    if (client === null) throw new Error('No MongoDB client for a collaborator left out of deps');
    db ??= client.db(config.MONGODB_DATABASE);

    return db;
  };
  const clock = deps.clock ?? new Clock();
  const kafka = () =>
    deps.kafka ??
    createKafka(
      { brokers: config.KAFKA_BROKERS, clientId: `${config.KAFKA_CLIENT_ID}-command-api` },
      logger,
    );
  const healthChecks: HealthCheck[] = deps.healthChecks ?? [
    new MongoHealthCheck(database()),
    new KafkaHealthCheck(kafka()),
  ];
  const runtime: CommandApiRuntime = {
    config,
    logger,
    clock,
    eventStore:
      deps.eventStore ??
      new EventStore(database(), {
        clock: () => clock.now(),
        maxEventBytes: config.EVENT_MAX_BYTES,
      }),
    readModels: deps.readModels ?? new ReadModelQueries(database()),
    handles: deps.handles ?? new HandleRegistry(database(), GROUP_HANDLE_NAMESPACE),
    ruleDefinitionHandles:
      deps.ruleDefinitionHandles ??
      new HandleRegistry(database(), RULE_DEFINITION_HANDLE_NAMESPACE),
    favouriteInstances:
      deps.favouriteInstances ?? new HandleRegistry(database(), FAVOURITE_INSTANCE_NAMESPACE),
    profiles: deps.profiles ?? new ProfileStore(database()),
    connections: deps.connections ?? new ConnectionStore(database()),
    snapshotResults: deps.snapshotResults ?? new SnapshotArchive(database()),
    healthChecks,
    close: async () => {
      await Promise.allSettled(
        healthChecks.map(async (check) => {
          await check.close?.();
        }),
      );
      await ownedClient?.close();
    },
  };
  try {
    await runtime.eventStore.ensureIndexes();
    await runtime.handles.ensureCollection();
    await runtime.ruleDefinitionHandles.ensureCollection();
    await runtime.favouriteInstances.ensureCollection();
  } catch (error) {
    await runtime.close();
    throw error;
  }

  return runtime;
}

/**
 * Every wait on MongoDB bounded, so that a request during an outage (a server that
 * stopped answering, say) fails within about `timeoutMs` instead of hanging: socket
 * replies, pooled connections, server selection, and the monitor that notices a
 * silent server (it uses the connect timeout) and clears the pool.
 */
export function mongoClientOptions(timeoutMs: number): MongoClientOptions {
  return {
    appName: 'command-api',
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs,
    waitQueueTimeoutMS: timeoutMs,
  };
}

function needsMongo(deps: CommandApiDeps): boolean {
  return [
    deps.eventStore,
    deps.readModels,
    deps.handles,
    deps.ruleDefinitionHandles,
    deps.favouriteInstances,
    deps.profiles,
    deps.connections,
    deps.snapshotResults,
    deps.healthChecks,
  ].some((dependency) => dependency === undefined);
}
