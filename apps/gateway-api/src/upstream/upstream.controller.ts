import { BadGatewayException, Controller, GatewayTimeoutException, Get } from '@nestjs/common';
import { type HealthzAnswer, HealthApiClient } from './health-api.client';
import { UpstreamTimeoutError } from './upstream-errors';

@Controller('upstream')
export class UpstreamController {
  constructor(private readonly healthApi: HealthApiClient) {}

  /** health-api's `/healthz` through the gateway: 502 when it is down or failing, 504 when it is slow. */
  @Get('healthz')
  async healthz(): Promise<{ upstream: 'health-api'; answer: HealthzAnswer }> {
    try {
      return { upstream: 'health-api', answer: await this.healthApi.healthz() };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw error instanceof UpstreamTimeoutError
        ? new GatewayTimeoutException(message)
        : new BadGatewayException(message);
    }
  }
}
