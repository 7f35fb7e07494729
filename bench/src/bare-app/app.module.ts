import { Module } from '@nestjs/common';
import { AppController } from './app.controller';
import { HealthModule } from './health.module';

/** health-api's AppModule without TelemetryModule. */
@Module({
  imports: [HealthModule],
  controllers: [AppController],
})
export class AppModule {}
