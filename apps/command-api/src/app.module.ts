import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ConnectionStore, ProfileStore, SnapshotArchive } from '@profile-groups/evaluation';
import { EventStore } from '@profile-groups/event-store';
import { Logger } from '@profile-groups/observability';
import { ReadModelQueries } from '@profile-groups/read-models';

import { ConnectionsModule } from './connections/connections.module';
import { FavouriteGroupsModule } from './favourite-groups/favourite-groups.module';
import { GroupDefinitionsModule } from './group-definitions/group-definitions.module';
import { GroupEvaluationModule } from './group-evaluation/group-evaluation.module';
import { GroupMembersModule } from './group-members/group-members.module';
import { GroupRulesModule } from './group-rules/group-rules.module';
import { HealthModule } from './health/health.module';
import { HistoryModule } from './history/history.module';
import { AccessTokens } from './http/auth/access-tokens';
import { BearerAuthGuard } from './http/auth/bearer-auth.guard';
import { ErrorResponseFilter } from './http/errors/error-response.filter';
import { createValidationPipe } from './http/validation/validation.pipe';
import { Clock } from './infrastructure/clock';
import { type CommandApiRuntime } from './infrastructure/command-api.runtime';
import { HEALTH_CHECKS } from './infrastructure/health-checks';
import {
  COMMAND_API_CONFIG,
  FAVOURITE_INSTANCES,
  GROUP_HANDLES,
  RULE_DEFINITION_HANDLES,
} from './infrastructure/tokens';
import { ProfilesModule } from './profiles/profiles.module';
import { RuleDefinitionsModule } from './rule-definitions/rule-definitions.module';

const RUNTIME = Symbol('COMMAND_API_RUNTIME');

/**
 * The command API: infrastructure given by the runtime (global to the feature
 * modules), plus the guard, pipe and filter every route goes through.
 */
@Module({})
export class CommandApiModule implements OnApplicationShutdown {
  constructor(@Inject(RUNTIME) private readonly runtime: CommandApiRuntime) {}

  static forRoot(runtime: CommandApiRuntime): DynamicModule {
    const infrastructure = [
      { provide: RUNTIME, useValue: runtime },
      { provide: COMMAND_API_CONFIG, useValue: runtime.config },
      { provide: Logger, useValue: runtime.logger },
      { provide: Clock, useValue: runtime.clock },
      { provide: EventStore, useValue: runtime.eventStore },
      { provide: ReadModelQueries, useValue: runtime.readModels },
      { provide: GROUP_HANDLES, useValue: runtime.handles },
      { provide: RULE_DEFINITION_HANDLES, useValue: runtime.ruleDefinitionHandles },
      { provide: FAVOURITE_INSTANCES, useValue: runtime.favouriteInstances },
      { provide: ProfileStore, useValue: runtime.profiles },
      { provide: ConnectionStore, useValue: runtime.connections },
      { provide: SnapshotArchive, useValue: runtime.snapshotResults },
      { provide: HEALTH_CHECKS, useValue: runtime.healthChecks },
      {
        provide: AccessTokens,
        useValue: new AccessTokens(runtime.config.AUTH_MODE, runtime.config.AUTH_TOKENS),
      },
    ];

    return {
      module: CommandApiModule,
      global: true,
      imports: [
        CqrsModule.forRoot(),
        GroupDefinitionsModule,
        GroupMembersModule,
        RuleDefinitionsModule,
        GroupRulesModule,
        GroupEvaluationModule,
        // Before any module with `v3/profiles/:profile/groups/:group` routes.
        HistoryModule,
        ProfilesModule,
        ConnectionsModule,
        FavouriteGroupsModule,
        HealthModule,
      ],
      providers: [
        ...infrastructure,
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_PIPE, useValue: createValidationPipe() },
        {
          provide: APP_FILTER,
          useFactory: (logger: Logger) => new ErrorResponseFilter(logger),
          inject: [Logger],
        },
      ],
      exports: infrastructure.map((provider) => provider.provide),
    };
  }

  /** Runs after the HTTP server has closed: no request can still need the clients. */
  async onApplicationShutdown(): Promise<void> {
    await this.runtime.close();
  }
}
