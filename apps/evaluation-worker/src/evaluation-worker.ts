import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type ConnectionRemoved,
  type ConnectionUpserted,
  EVENT_CATALOGUE,
  type EnvelopeOf,
  type EvaluationEvent,
  type EventType,
  type GroupDefinitionDeleted,
  type GroupDefinitionEvent,
  type MemberAdded,
  type MemberRemoved,
  type ProfileDeleted,
  type ProfileUpserted,
  type RuleDefinitionEvent,
} from '@profile-groups/contracts';
import { ConnectionStore, ProfileStore, SnapshotArchive } from '@profile-groups/evaluation';
import { EventStore } from '@profile-groups/event-store';
import { KafkaEventTransport, type MessageContext } from '@profile-groups/messaging';
import { currentCorrelation, type Logger } from '@profile-groups/observability';
import { connectPlatform, ensureAllTopics, NestLoggerAdapter } from '@profile-groups/platform';

import { DynamicGroups } from './dynamic/dynamic-groups';
import { EvaluationLog } from './dynamic/evaluation-log';
import { GroupCatalog } from './dynamic/group-catalog';
import { GroupRefresher } from './dynamic/group-refresher';
import { PairIndex } from './dynamic/pair-index';
import { ProfileChangeLog } from './dynamic/profile-change-log';
import { ProfileIntake } from './dynamic/profile-intake';
import { RuleMembershipWriter } from './dynamic/rule-membership-writer';
import { TimeRechecks } from './dynamic/time-rechecks';
import { ExpiryScheduler } from './expiry-scheduler';
import { ConnectionMembershipWriter } from './favourite/connection-membership-writer';
import { FavouriteGroups } from './favourite/favourite-groups';
import { InstanceCatalog } from './favourite/instance-catalog';
import { MembershipLifecycle } from './membership-lifecycle';
import { type WorkerConfig } from './worker.config';
import { WorkerModule } from './worker.module';

export interface EvaluationWorker {
  readonly app: INestApplication;
  readonly scheduler: ExpiryScheduler;
  readonly dynamicGroups: DynamicGroups;
  readonly favouriteGroups: FavouriteGroups;
  stop(): Promise<void>;
}

/**
 * Wires the evaluation worker: dynamic groups (full refreshes, incremental evaluation
 * of each profile change, rule definitions followed, time-dependent rechecks),
 * favourite groups (members following their owners' connections), timed memberships
 * that expire at their time, and the end of a deleted group's memberships. Profile
 * and connection input each have a consumer of their own so that a long run of
 * membership or definition events never delays what follows from an input change.
 */
export async function createEvaluationWorker(
  config: WorkerConfig,
  logger: Logger,
): Promise<EvaluationWorker> {
  const platform = await connectPlatform(config, 'evaluation-worker', logger);
  await ensureAllTopics(platform, config);
  const store = new EventStore(platform.db, { maxEventBytes: config.EVENT_MAX_BYTES });
  await store.ensureIndexes();
  const lifecycle = new MembershipLifecycle(store);
  const scheduler = new ExpiryScheduler(
    platform.db,
    lifecycle,
    logger.child('expiry'),
    config.EXPIRY_MAX_SLEEP_MS,
  );

  const profiles = new ProfileStore(platform.db);
  await profiles.ensureIndexes();
  await profiles.open();
  const archive = new SnapshotArchive(platform.db);
  await archive.ensureIndexes();
  const catalog = new GroupCatalog(store, logger.child('catalog'));
  const pairs = new PairIndex(store);
  const writer = new RuleMembershipWriter(store, pairs);
  const evaluationLog = new EvaluationLog(store);
  const changes = new ProfileChangeLog();
  const rechecks = new TimeRechecks();
  const shared = { catalog, archive, writer, log: evaluationLog, changes, rechecks, profiles };
  const refresher = new GroupRefresher({
    ...shared,
    pairs,
    logger: logger.child('refresh'),
    batchSize: config.REFRESH_BATCH_SIZE,
  });
  const intake = new ProfileIntake({
    ...shared,
    store,
    pairs,
    logger: logger.child('profiles'),
  });
  const connectionStore = new ConnectionStore(platform.db);
  await connectionStore.ensureIndexes();
  await connectionStore.open();
  const favouritePairs = new PairIndex(store);
  const favouriteGroups = new FavouriteGroups({
    store,
    catalog: new InstanceCatalog(store),
    connections: connectionStore,
    profiles,
    pairs: favouritePairs,
    writer: new ConnectionMembershipWriter(store, favouritePairs),
    logger: logger.child('favourites'),
  });
  const dynamicGroups = new DynamicGroups(
    store,
    catalog,
    refresher,
    intake,
    pairs,
    evaluationLog,
    changes,
    rechecks,
    logger.child('dynamic'),
    { catalogReloadMs: config.CATALOG_RELOAD_MS, tickMs: config.EVALUATION_TICK_MS },
  );

  const transport = new KafkaEventTransport(
    platform.kafka,
    {
      groupId: `${config.KAFKA_CONSUMER_GROUP_PREFIX}evaluation-worker`,
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      topics: ['groupDefinitions', 'ruleDefinitions', 'evaluations', 'memberships'],
      ignoredTypes: [],
      maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
      retryBaseMs: config.CONSUMER_RETRY_BASE_MS,
    },
    logger.child('consumer'),
  );
  const profileTransport = new KafkaEventTransport(
    platform.kafka,
    {
      groupId: `${config.KAFKA_CONSUMER_GROUP_PREFIX}evaluation-worker-profiles`,
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      topics: ['profiles'],
      ignoredTypes: [],
      maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
      retryBaseMs: config.CONSUMER_RETRY_BASE_MS,
      afterBatch: () => intake.flush(),
    },
    logger.child('profile-consumer'),
  );
  const connectionTransport = new KafkaEventTransport(
    platform.kafka,
    {
      groupId: `${config.KAFKA_CONSUMER_GROUP_PREFIX}evaluation-worker-connections`,
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      topics: ['connections'],
      ignoredTypes: [],
      maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
      retryBaseMs: config.CONSUMER_RETRY_BASE_MS,
    },
    logger.child('connection-consumer'),
  );
  const position = (context: { partition: number; offset: string }) => ({
    partition: context.partition,
    offset: BigInt(context.offset),
  });
  profileTransport.addHandler(
    'ProfileUpserted',
    (event: EnvelopeOf<ProfileUpserted>, context: MessageContext) =>
      intake.upserted(event, position(context)),
    true,
  );
  profileTransport.addHandler(
    'ProfileDeleted',
    (event: EnvelopeOf<ProfileDeleted>, context: MessageContext) =>
      intake.deleted(event, position(context)),
    true,
  );
  for (const type of ['ConnectionUpserted', 'ConnectionRemoved'] as const) {
    connectionTransport.addHandler(
      type,
      (event: EnvelopeOf<ConnectionUpserted | ConnectionRemoved>, context: MessageContext) =>
        favouriteGroups.onConnectionEvent(event, position(context)),
      true,
    );
  }
  for (const type of typesOn('groupDefinitions')) {
    if (type === 'GroupDefinitionDeleted') continue;
    transport.addHandler(
      type,
      async (event: EnvelopeOf<GroupDefinitionEvent>) => {
        await dynamicGroups.onDefinitionEvent(event);
        await favouriteGroups.onDefinitionEvent(event);
      },
      true,
    );
  }
  for (const type of typesOn('ruleDefinitions')) {
    transport.addHandler(
      type,
      (event: EnvelopeOf<RuleDefinitionEvent>) => dynamicGroups.onRuleDefinitionEvent(event),
      true,
    );
  }
  for (const type of typesOn('evaluations')) {
    transport.addHandler(
      type,
      (event: EnvelopeOf<EvaluationEvent>) => {
        dynamicGroups.onEvaluationEvent(event);

        return Promise.resolve();
      },
      true,
    );
  }
  // An add decided before its group's deletion can be stored after the deletion ended
  // the group's memberships; such a late add is ended as soon as it arrives.
  // TODO: with several worker instances, one that never saw the deletion event does not
  // know the group is gone; it would need to check the group's stream per add.
  const deletedGroups = new Set<number>();
  transport.addHandler(
    'MemberAdded',
    async (event: EnvelopeOf<MemberAdded>) => {
      pairs.observe(event);
      favouritePairs.observe(event);
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
      // A connection-made add decided just before its profile's deletion ended the
      // profile's memberships is ended as soon as it arrives, like a late add above.
      const connectionMade = event.data.source_type === 'connection';
      if (connectionMade && profiles.isDeleted(event.data.profile_id)) {
        await lifecycle.endMembershipOfDeletedProfile(
          event.data.group_definition_id,
          event.data.profile_id,
          {
            correlation_id: event.correlation_id,
            causation_id: event.id,
            actor: 'system:profile-deleted',
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
    async (event: EnvelopeOf<MemberRemoved>) => {
      pairs.observe(event);
      favouritePairs.observe(event);
      await scheduler.untrack(event.data.membership_id);
      await favouriteGroups.onMembershipRemoved(event);
    },
    true,
  );
  transport.addHandler(
    'GroupDefinitionDeleted',
    async (event: EnvelopeOf<GroupDefinitionDeleted>, context: MessageContext) => {
      deletedGroups.add(event.data.group_definition_id);
      await dynamicGroups.onDefinitionEvent(event);
      await favouriteGroups.onDefinitionEvent(event, context.heartbeat);
      const ended = await lifecycle.endMembershipsOf(
        event.data.group_definition_id,
        {
          correlation_id: currentCorrelation()?.correlationId ?? event.correlation_id,
          causation_id: event.id,
          actor: 'system:group-deleted',
        },
        context.heartbeat,
      );
      logger.info('group.memberships_ended', {
        group_definition_id: event.data.group_definition_id,
        ended,
      });
    },
    true,
  );

  const transports = [transport, profileTransport, connectionTransport];
  const app = await NestFactory.create(WorkerModule.register({ platform, transports, scheduler }), {
    logger: new NestLoggerAdapter(logger.child('nest')),
  });
  for (const strategy of transports) {
    app.connectMicroservice({ strategy }, { inheritAppConfig: true });
  }
  await scheduler.start();
  await dynamicGroups.start();
  await favouriteGroups.start();
  await app.startAllMicroservices();

  return {
    app,
    scheduler,
    dynamicGroups,
    favouriteGroups,
    stop: async () => {
      await dynamicGroups.stop();
      await intake.settle();
      await favouriteGroups.settle();
      await scheduler.stop();
      await app.close();
      await platform.close();
    },
  };
}

function typesOn(topic: (typeof EVENT_CATALOGUE)[EventType]['topic']): EventType[] {
  return (Object.keys(EVENT_CATALOGUE) as EventType[]).filter(
    (type) => EVENT_CATALOGUE[type].topic === topic,
  );
}
