import { Injectable, Logger, Optional } from '@nestjs/common';
import { MeterService, Span, Timed } from '@obs/telemetry';
import { type Counter, metrics } from '@opentelemetry/api';
import { HealthService as BareHealthService, type HealthStatus } from '../bare-app/health.service';
import { PARTS } from './parts';

/** The bare app's HealthService with the parts of health-api's that `PARTS` switches on (same class name, same span name). */
@Injectable()
export class HealthService extends BareHealthService {
  private readonly healthzCount: Counter | undefined;
  private readonly logger = PARTS.logger ? new Logger(HealthService.name) : undefined;

  constructor(@Optional() meters?: MeterService) {
    super();
    this.healthzCount = createCounter(meters);
  }

  override check(): HealthStatus {
    this.healthzCount?.add(1);
    const status = super.check();
    this.logger?.debug(`healthz checked, up ${Math.round(status.uptime_seconds * 1000)} ms`);
    return status;
  }
}

function createCounter(meters: MeterService | undefined): Counter | undefined {
  const options = { description: 'Number of /healthz requests' };
  if (PARTS.counter === 'plain') return metrics.getMeter('bench-lib-app').createCounter('healthz_count', options);
  if (PARTS.counter !== 'exemplar') return undefined;
  if (!meters) throw new Error('BENCH_COUNTER=exemplar needs TelemetryModule (BENCH_TELEMETRY_MODULE=true)');
  return meters.counter('healthz_count', options);
}

// As health-api's `@Span() @Timed() check()`, applied only when switched on: decorators run bottom-up.
const decorators = [...(PARTS.spanChild ? [Span()] : []), ...(PARTS.timed ? [Timed()] : [])].reverse();
const descriptor = Object.getOwnPropertyDescriptor(HealthService.prototype, 'check');
if (descriptor) {
  for (const decorate of decorators) decorate(HealthService.prototype, 'check', descriptor);
  Object.defineProperty(HealthService.prototype, 'check', descriptor);
}
