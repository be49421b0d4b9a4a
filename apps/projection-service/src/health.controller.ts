import { Controller, Get, Inject, Res } from '@nestjs/common';
import { KafkaEventTransport } from '@profile-groups/messaging';
import { OutboxRelay } from '@profile-groups/event-store';
import {
  checkConnectivity,
  consumerCheck,
  liveness,
  type CheckStatus,
  type Platform,
} from '@profile-groups/platform';
import { type Response } from 'express';

import { PLATFORM, RELAY, TRANSPORT } from './tokens';

/** Readiness (dependencies, consumer, relay) and liveness (the process itself). */
@Controller()
export class HealthController {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    @Inject(TRANSPORT) private readonly transport: KafkaEventTransport | null,
    @Inject(RELAY) private readonly relay: OutboxRelay | null,
  ) {}

  @Get('health/live')
  live(@Res() response: Response): void {
    const { httpStatus, body } = liveness([this.transport?.health]);
    response.status(httpStatus).json(body);
  }

  @Get('health')
  async health(@Res() response: Response): Promise<void> {
    const checks: Record<string, CheckStatus> = {};
    if (this.transport !== null) {
      checks.consumer = consumerCheck(this.transport.health);
    }
    if (this.relay !== null) {
      const quietFor = Date.now() - this.relay.lastHealthyAt;
      checks.relay =
        quietFor < 30_000
          ? { status: 'up' }
          : { status: 'down', error: `no healthy cycle for ${quietFor} ms` };
    }
    const report = await checkConnectivity(this.platform, checks);
    response.status(report.status === 'ok' ? 200 : 503).json(report);
  }
}
