import { Controller, Get, Inject, Res } from '@nestjs/common';
import { KafkaEventTransport } from '@profile-groups/messaging';
import { checkConnectivity, consumerCheck, type Platform } from '@profile-groups/platform';
import { type Response } from 'express';

import { ExpiryScheduler } from './expiry-scheduler';
import { PLATFORM, SCHEDULER, TRANSPORT } from './tokens';

@Controller()
export class HealthController {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    @Inject(TRANSPORT) private readonly transport: KafkaEventTransport,
    @Inject(SCHEDULER) private readonly scheduler: ExpiryScheduler,
  ) {}

  /**
   * Liveness: down only when the consumer crashed for good, which a restart fixes. A
   * Kafka or MongoDB outage is readiness's business: restarting would not help.
   */
  @Get('health/live')
  live(@Res() response: Response): void {
    const crashed = this.transport?.health?.crashed ?? null;
    response
      .status(crashed === null ? 200 : 503)
      .json(crashed === null ? { status: 'ok' } : { status: 'error', error: crashed });
  }

  @Get('health')
  async health(@Res() response: Response): Promise<void> {
    const report = await checkConnectivity(this.platform, {
      consumer: consumerCheck(this.transport.health),
    });
    response
      .status(report.status === 'ok' ? 200 : 503)
      .json({ ...report, expiries_pending: this.scheduler.pending });
  }
}
