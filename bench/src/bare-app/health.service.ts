import { Injectable } from '@nestjs/common';
import { formatUptime } from './format-uptime';

/** The JSON shape of health-api's `GET /healthz`. */
export interface HealthStatus {
  message: string;
  status: 'ok';
  uptime_seconds: number;
  started_at: string;
}

/** health-api's HealthService without the `@Span()` and the `healthz_count` counter. */
@Injectable()
export class HealthService {
  private readonly startedAt = new Date();
  private readonly startedAtMs = performance.now();

  check(): HealthStatus {
    const uptimeMs = performance.now() - this.startedAtMs;
    return {
      message: `up and running since ${formatUptime(uptimeMs)}`,
      status: 'ok',
      uptime_seconds: Math.round(uptimeMs) / 1000,
      started_at: this.startedAt.toISOString(),
    };
  }
}
