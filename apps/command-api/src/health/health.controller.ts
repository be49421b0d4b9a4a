import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';

import { PublicRoute } from '../http/auth/auth.decorators';
import { HealthSchema } from '../http/openapi/schemas';
import { HEALTH_CHECKS, type HealthCheck } from '../infrastructure/health-checks';

interface CheckResult {
  readonly status: 'up' | 'down';
  readonly error?: string;
}

export interface HealthReport {
  readonly status: 'ok' | 'error';
  readonly checks: Record<string, CheckResult>;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[]) {}

  /** Liveness: the process answers. Dependencies are readiness's business (`GET /health`). */
  @Get('live')
  @PublicRoute()
  @ApiOperation({ summary: 'The process is alive; checks no dependency' })
  @ApiResponse({ status: 200, description: 'Alive.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  @PublicRoute()
  @ApiOperation({ summary: 'MongoDB and Kafka connectivity; no token needed' })
  @ApiResponse({ status: 200, type: HealthSchema, description: 'Every dependency is up.' })
  @ApiResponse({ status: 503, type: HealthSchema, description: 'A dependency is down.' })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const results = await Promise.all(
      this.checks.map(async (dependency): Promise<[string, CheckResult]> => {
        try {
          await dependency.check();

          return [dependency.name, { status: 'up' }];
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);

          return [dependency.name, { status: 'down', error: message }];
        }
      }),
    );
    const healthy = results.every(([, result]) => result.status === 'up');
    res.status(healthy ? 200 : 503);

    return { status: healthy ? 'ok' : 'error', checks: Object.fromEntries<CheckResult>(results) };
  }
}
