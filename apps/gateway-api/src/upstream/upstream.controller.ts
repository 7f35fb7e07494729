import { Controller, Get } from '@nestjs/common';
import { type HealthzAnswer, HealthApiClient } from './health-api.client';
import { toHttpException } from './upstream-errors';

@Controller('upstream')
export class UpstreamController {
  constructor(private readonly healthApi: HealthApiClient) {}

  /** health-api's `/healthz` through the gateway: 502 when it is down or failing, 504 when it is slow. */
  @Get('healthz')
  async healthz(): Promise<{ upstream: 'health-api'; answer: HealthzAnswer }> {
    try {
      return { upstream: 'health-api', answer: await this.healthApi.healthz() };
    } catch (error) {
      throw toHttpException(error);
    }
  }
}
