import { Injectable, Logger } from '@nestjs/common';
import { MeterService, Span, Timed } from '@obs/telemetry';
import type { Counter } from '@opentelemetry/api';
import { formatUptime } from './format-uptime';

export interface HealthStatus {
  /** `up and running since <uptime>`, the uptime written as Python prints a timedelta. */
  message: string;
  status: 'ok';
  uptime_seconds: number;
  started_at: string;
}

@Injectable()
export class HealthService {
  private readonly startedAt = new Date();
  private readonly startedAtMs = performance.now();
  private readonly healthzCount: Counter;
  private readonly logger = new Logger(HealthService.name);

  constructor(meters: MeterService) {
    // Through MeterService, each series also keeps an exemplar: the trace of its latest /healthz call.
    this.healthzCount = meters.counter('healthz_count', { description: 'Number of /healthz requests' });
  }

  @Span()
  @Timed()
  check(): HealthStatus {
    this.healthzCount.add(1);
    const uptimeMs = performance.now() - this.startedAtMs;
    this.logger.debug(`healthz checked, up ${Math.round(uptimeMs)} ms`);
    return {
      message: `up and running since ${formatUptime(uptimeMs)}`,
      status: 'ok',
      uptime_seconds: Math.round(uptimeMs) / 1000,
      started_at: this.startedAt.toISOString(),
    };
  }
}
