import { Module } from '@nestjs/common';
import { TelemetryLoggerModule, TelemetryModule } from '@obs/telemetry';
import { HealthCheckController } from './health-check.controller';
import { HealthCheckService } from './health-check.service';

@Module({
  imports: [TelemetryModule.forRoot(), TelemetryLoggerModule.forRoot()],
  controllers: [HealthCheckController],
  providers: [HealthCheckService],
})
export class AppModule {}
