import { type DynamicModule, Module } from '@nestjs/common';
import { type KafkaEventTransport } from '@profile-groups/messaging';
import { type Platform } from '@profile-groups/platform';

import { type ExpiryScheduler } from './expiry-scheduler';
import { HealthController } from './health.controller';
import { PLATFORM, SCHEDULER, TRANSPORTS } from './tokens';

@Module({})
export class WorkerModule {
  static register(deps: {
    platform: Platform;
    transports: readonly KafkaEventTransport[];
    scheduler: ExpiryScheduler;
  }): DynamicModule {
    return {
      module: WorkerModule,
      controllers: [HealthController],
      providers: [
        { provide: PLATFORM, useValue: deps.platform },
        { provide: TRANSPORTS, useValue: deps.transports },
        { provide: SCHEDULER, useValue: deps.scheduler },
      ],
    };
  }
}
