import { Module } from '@nestjs/common';
import { HealthApiClient } from './health-api.client';
import { readUpstreamConfig, UPSTREAM_CONFIG } from './upstream.config';
import { UpstreamController } from './upstream.controller';

@Module({
  controllers: [UpstreamController],
  providers: [{ provide: UPSTREAM_CONFIG, useFactory: () => readUpstreamConfig(process.env) }, HealthApiClient],
})
export class UpstreamModule {}
