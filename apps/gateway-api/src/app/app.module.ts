import { Module } from '@nestjs/common';
import { TelemetryLoggerModule, TelemetryModule } from '@obs/telemetry';
import { UpstreamModule } from '../upstream/upstream.module';
import { AppController } from './app.controller';

@Module({
  imports: [TelemetryModule.forRoot(), TelemetryLoggerModule.forRoot(), UpstreamModule],
  controllers: [AppController],
})
export class AppModule {}
