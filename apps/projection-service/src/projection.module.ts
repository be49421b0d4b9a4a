import { type DynamicModule, Module } from '@nestjs/common';
import { type OutboxRelay } from '@profile-groups/event-store';
import { type KafkaEventTransport } from '@profile-groups/messaging';
import { type Platform } from '@profile-groups/platform';

import { HealthController } from './health.controller';
import { PLATFORM, RELAY, TRANSPORT } from './tokens';

export interface ProjectionDependencies {
  readonly platform: Platform;
  readonly transport: KafkaEventTransport | null;
  readonly relay: OutboxRelay | null;
}

@Module({})
export class ProjectionModule {
  static register(deps: ProjectionDependencies): DynamicModule {
    return {
      module: ProjectionModule,
      controllers: [HealthController],
      providers: [
        { provide: PLATFORM, useValue: deps.platform },
        { provide: TRANSPORT, useValue: deps.transport },
        { provide: RELAY, useValue: deps.relay },
      ],
    };
  }
}
