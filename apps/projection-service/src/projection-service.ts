import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EVENT_CATALOGUE, type EventEnvelope } from '@profile-groups/contracts';
import { EventStore, OutboxRelay } from '@profile-groups/event-store';
import { KafkaEventPublisher, KafkaEventTransport } from '@profile-groups/messaging';
import { type Logger } from '@profile-groups/observability';
import { connectPlatform, ensureAllTopics, NestLoggerAdapter } from '@profile-groups/platform';
import { ReadModelWriter } from '@profile-groups/read-models';

import { RELAY_SOURCE } from './membership-replay';
import { PROJECTED_TOPICS, type ProjectionConfig, projectionGroupId } from './projection.config';
import { ProjectionModule } from './projection.module';

export interface ProjectionService {
  readonly app: INestApplication;
  readonly transport: KafkaEventTransport;
  stop(): Promise<void>;
}

/**
 * Wires the projection service: a Kafka consumer that applies every event to the
 * read models, and the outbox relay that publishes stored events (when enabled).
 * The returned app is initialised but not listening.
 */
export async function createProjectionService(
  config: ProjectionConfig,
  logger: Logger,
): Promise<ProjectionService> {
  const platform = await connectPlatform(config, 'projection-service', logger);
  await ensureAllTopics(platform, config);

  const store = new EventStore(platform.db);
  await store.ensureIndexes();
  const writer = new ReadModelWriter(platform.db);
  await writer.ensureIndexes();

  const publisher = new KafkaEventPublisher(
    platform.kafka,
    config.KAFKA_TOPIC_PREFIX,
    RELAY_SOURCE,
    { maxRequestBytes: config.KAFKA_MAX_MESSAGE_BYTES },
  );
  const relay = config.RELAY_ENABLED
    ? new OutboxRelay(
        platform.db,
        publisher,
        {
          pollIntervalMs: config.RELAY_POLL_INTERVAL_MS,
          intentGraceMs: config.RELAY_INTENT_GRACE_MS,
        },
        logger.child('relay'),
      )
    : null;

  const transport = new KafkaEventTransport(
    platform.kafka,
    {
      groupId: projectionGroupId(config),
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      topics: PROJECTED_TOPICS,
      ignoredTypes: [],
      maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
      retryBaseMs: config.CONSUMER_RETRY_BASE_MS,
      deadLetterMaxBytes: config.KAFKA_MAX_MESSAGE_BYTES,
      afterBatch: () => writer.flush(),
    },
    logger.child('consumer'),
  );
  for (const spec of Object.values(EVENT_CATALOGUE)) {
    if (!PROJECTED_TOPICS.includes(spec.topic)) continue;
    transport.addHandler(spec.type, (event: EventEnvelope) => writer.apply(event), true);
  }

  const app = await NestFactory.create(
    ProjectionModule.register({
      platform,
      transport: config.PROJECTIONS_ENABLED ? transport : null,
      relay,
    }),
    {
      logger: new NestLoggerAdapter(logger.child('nest')),
    },
  );
  if (config.PROJECTIONS_ENABLED) {
    app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  relay?.start();

  return {
    app,
    transport,
    stop: async () => {
      await relay?.stop();
      await app.close();
      await publisher.disconnect();
      await platform.close();
    },
  };
}
