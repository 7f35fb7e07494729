import { Module } from '@nestjs/common';
import { TelemetryLoggerModule, TelemetryModule } from '@obs/telemetry';
import { HealthModule } from '../health/health.module';
import { AppController } from './app.controller';

@Module({
  imports: [TelemetryModule.forRoot(), TelemetryLoggerModule.forRoot(), HealthModule],
  controllers: [AppController],
})
export class AppModule {}
