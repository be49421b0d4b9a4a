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
      checks.relay = await this.relayCheck(this.relay);
    }
    const report = await checkConnectivity(this.platform, checks);
    response.status(report.status === 'ok' ? 200 : 503).json(report);
  }

  /**
   * Dead-lettered events leave the relay up (it carries on past them) but are counted,
   * since each is a gap in its stream that an operator has to look at.
   */
  private async relayCheck(relay: OutboxRelay): Promise<CheckStatus> {
    const quietFor = Date.now() - relay.lastHealthyAt;
    const status: CheckStatus =
      quietFor < 30_000
        ? { status: 'up' }
        : { status: 'down', error: `no healthy cycle for ${quietFor} ms` };
    // MongoDB's own check reports it when it cannot answer.
    const deadLettered = await relay.deadLetterCount().catch(() => null);

    return deadLettered === null
      ? status
      : { ...status, detail: { dead_lettered_events: deadLettered } };
  }
}
