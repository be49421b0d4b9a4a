import { Controller, Get, Inject, Res } from '@nestjs/common';
import { KafkaEventTransport } from '@profile-groups/messaging';
import {
  checkConnectivity,
  consumerCheck,
  liveness,
  type Platform,
} from '@profile-groups/platform';
import { type Response } from 'express';

import { ExpiryScheduler } from './expiry-scheduler';
import { PLATFORM, SCHEDULER, TRANSPORTS } from './tokens';

@Controller()
export class HealthController {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    @Inject(TRANSPORTS) private readonly transports: readonly KafkaEventTransport[],
    @Inject(SCHEDULER) private readonly scheduler: ExpiryScheduler,
  ) {}

  @Get('health/live')
  live(@Res() response: Response): void {
    const { httpStatus, body } = liveness(this.transports.map((transport) => transport.health));
    response.status(httpStatus).json(body);
  }

  @Get('health')
  async health(@Res() response: Response): Promise<void> {
    const report = await checkConnectivity(this.platform, {
      consumer: consumerCheck(this.transports[0]?.health ?? null),
      profile_consumer: consumerCheck(this.transports[1]?.health ?? null),
      connection_consumer: consumerCheck(this.transports[2]?.health ?? null),
    });
    response
      .status(report.status === 'ok' ? 200 : 503)
      .json({ ...report, expiries_pending: this.scheduler.pending });
  }
}
