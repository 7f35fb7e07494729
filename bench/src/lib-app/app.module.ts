import { type DynamicModule, Module } from '@nestjs/common';
import { TelemetryLoggerModule, TelemetryModule } from '@obs/telemetry';
import { AppController } from '../bare-app/app.controller';
import { HealthController } from '../bare-app/health.controller';
import { HealthService as BareHealthService } from '../bare-app/health.service';
import { HealthService } from './health.service';
import { PARTS } from './parts';

@Module({
  controllers: [HealthController],
  providers: [{ provide: BareHealthService, useClass: HealthService }],
})
class LibHealthModule {}

/** The bare app's modules with the parts of @obs/telemetry that `PARTS` switches on. */
@Module({})
export class AppModule {
  static withParts(): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...(PARTS.telemetryModule ? [TelemetryModule.forRoot()] : []),
        ...(PARTS.logger ? [TelemetryLoggerModule.forRoot()] : []),
        LibHealthModule,
      ],
      controllers: [AppController],
    };
  }
}
