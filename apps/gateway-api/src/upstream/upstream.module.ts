import { Module } from '@nestjs/common';
import { ClientsModule } from '@nestjs/microservices';
import { readBrokerTransport } from '@obs/lifecycle/broker';
import { HealthApiClient } from './health-api.client';
import { readUpstreamConfig, UPSTREAM_CONFIG } from './upstream.config';
import { UpstreamController } from './upstream.controller';
import { WORKER_CLIENT, WorkerClient } from './worker.client';
import { WorkerController } from './worker.controller';

@Module({
  imports: [
    // Connects on the first message, so the gateway starts and serves HTTP whether the broker runs or not.
    ClientsModule.registerAsync([{ name: WORKER_CLIENT, useFactory: () => readBrokerTransport(process.env) }]),
  ],
  controllers: [UpstreamController, WorkerController],
  providers: [
    { provide: UPSTREAM_CONFIG, useFactory: () => readUpstreamConfig(process.env) },
    HealthApiClient,
    WorkerClient,
  ],
})
export class UpstreamModule {}
