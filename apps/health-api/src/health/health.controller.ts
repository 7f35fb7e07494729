import { Controller, Get, Headers, Logger } from '@nestjs/common';
import { type HealthStatus, HealthService } from './health.service';

/** The request header that asks for the test delay; ignored unless `HEALTHZ_TEST_DELAY_MS` is set. */
export const TEST_DELAY_HEADER = 'x-test-delay';
const MAX_TEST_DELAY_MS = 10_000;

@Controller('healthz')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);
  /**
   * A test aid, off unless `HEALTHZ_TEST_DELAY_MS` is set: a request carrying `x-test-delay: 1` waits that
   * long before it answers, so that end-to-end tests can make one known request slow (latency percentiles,
   * exemplars on a high bucket) without a route that exists in production.
   */
  private readonly testDelayMs = this.readTestDelay(process.env['HEALTHZ_TEST_DELAY_MS']);

  constructor(private readonly health: HealthService) {}

  @Get()
  healthz(@Headers(TEST_DELAY_HEADER) testDelay?: string): HealthStatus | Promise<HealthStatus> {
    if (this.testDelayMs === undefined || testDelay !== '1') return this.health.check();
    return new Promise((resolve) => setTimeout(() => resolve(this.health.check()), this.testDelayMs));
  }

  private readTestDelay(value: string | undefined): number | undefined {
    if (value === undefined || value.trim() === '') return undefined;
    const delayMs = Number(value);
    if (Number.isInteger(delayMs) && delayMs >= 1 && delayMs <= MAX_TEST_DELAY_MS) return delayMs;
    this.logger.warn(
      `HEALTHZ_TEST_DELAY_MS="${value}" is not a delay: expected an integer from 1 to ${MAX_TEST_DELAY_MS} ms; no test delay`,
    );
    return undefined;
  }
}
