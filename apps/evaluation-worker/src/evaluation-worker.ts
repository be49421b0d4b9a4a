import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type EnvelopeOf,
  type GroupDefinitionDeleted,
  type MemberAdded,
  type MemberRemoved,
} from '@profile-groups/contracts';
import { EventStore } from '@profile-groups/event-store';
import { KafkaEventTransport } from '@profile-groups/messaging';
import { currentCorrelation, type Logger } from '@profile-groups/observability';
import { connectPlatform, ensureAllTopics, NestLoggerAdapter } from '@profile-groups/platform';

import { ExpiryScheduler } from './expiry-scheduler';
import { MembershipLifecycle } from './membership-lifecycle';
import { type WorkerConfig } from './worker.config';
import { WorkerModule } from './worker.module';

export interface EvaluationWorker {
  readonly app: INestApplication;
  readonly scheduler: ExpiryScheduler;
  stop(): Promise<void>;
}

/**
 * Wires the evaluation worker. For now it owns the system side of static groups:
 * timed memberships expire at their time, and a deleted group's memberships end.
 */
export async function createEvaluationWorker(
  config: WorkerConfig,
  logger: Logger,
): Promise<EvaluationWorker> {
  const platform = await connectPlatform(config, 'evaluation-worker', logger);
  await ensureAllTopics(platform, config);
  const store = new EventStore(platform.db);
  await store.ensureIndexes();
  const lifecycle = new MembershipLifecycle(store);
  const scheduler = new ExpiryScheduler(
    platform.db,
    lifecycle,
    logger.child('expiry'),
    config.EXPIRY_MAX_SLEEP_MS,
  );

  const transport = new KafkaEventTransport(
    platform.kafka,
    {
      groupId: `${config.KAFKA_CONSUMER_GROUP_PREFIX}evaluation-worker`,
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      topics: ['groupDefinitions', 'memberships'],
      ignoredTypes: [
        'GroupDefinitionCreated',
        'GroupDefinitionUpdated',
        'GroupDefinitionPublished',
        'GroupDefinitionUnpublished',
        'GroupDefinitionActivated',
        'GroupDefinitionDeactivated',
        'GroupDefinitionArchived',
        'GroupDefinitionUnarchived',
      ],
      maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
      retryBaseMs: config.CONSUMER_RETRY_BASE_MS,
    },
    logger.child('consumer'),
  );
  // An add decided before its group's deletion can be stored after the deletion ended
  // the group's memberships; such a late add is ended as soon as it arrives.
  // TODO: with several worker instances, one that never saw the deletion event does not
  // know the group is gone; it would need to check the group's stream per add.
  const deletedGroups = new Set<number>();
  transport.addHandler(
    'MemberAdded',
    async (event: EnvelopeOf<MemberAdded>) => {
      if (deletedGroups.has(event.data.group_definition_id)) {
        await lifecycle.endMembershipOfDeletedGroup(
          event.data.group_definition_id,
          event.data.profile_id,
          {
            correlation_id: event.correlation_id,
            causation_id: event.id,
            actor: 'system:group-deleted',
          },
        );

        return;
      }
      if (event.data.expires_at === null) return;
      await scheduler.track({
        _id: event.data.membership_id,
        group_definition_id: event.data.group_definition_id,
        profile_id: event.data.profile_id,
        expires_at: new Date(event.data.expires_at),
        cause_event_id: event.id,
      });
    },
    true,
  );
  transport.addHandler(
    'MemberRemoved',
    (event: EnvelopeOf<MemberRemoved>) => scheduler.untrack(event.data.membership_id),
    true,
  );
  transport.addHandler(
    'GroupDefinitionDeleted',
    async (event: EnvelopeOf<GroupDefinitionDeleted>) => {
      deletedGroups.add(event.data.group_definition_id);
      const ended = await lifecycle.endMembershipsOf(event.data.group_definition_id, {
        correlation_id: currentCorrelation()?.correlationId ?? event.correlation_id,
        causation_id: event.id,
        actor: 'system:group-deleted',
      });
      logger.info('group.memberships_ended', {
        group_definition_id: event.data.group_definition_id,
        ended,
      });
    },
    true,
  );

  const app = await NestFactory.create(WorkerModule.register({ platform, transport, scheduler }), {
    logger: new NestLoggerAdapter(logger.child('nest')),
  });
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  await scheduler.start();
  await app.startAllMicroservices();

  return {
    app,
    scheduler,
    stop: async () => {
      await scheduler.stop();
      await app.close();
      await platform.close();
    },
  };
}
