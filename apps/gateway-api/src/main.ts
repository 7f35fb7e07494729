import './instrumentation';
import { NestFactory } from '@nestjs/core';
import { serve } from '@obs/lifecycle';
import { TelemetryLoggerModule } from '@obs/telemetry';
import { AppModule } from './app/app.module';

async function bootstrap(): Promise<void> {
  await serve(await NestFactory.create(AppModule, { logger: TelemetryLoggerModule.createLogger() }), { port: 3001 });
}

void bootstrap();
