import { Module } from '@nestjs/common';
import { TelemetryModule } from '@obs/telemetry';
import { UpstreamModule } from '../upstream/upstream.module';
import { AppController } from './app.controller';

@Module({
  imports: [TelemetryModule.forRoot(), UpstreamModule],
  controllers: [AppController],
})
export class AppModule {}
