import './instrumentation';
import { createApp, serve } from '@obs/lifecycle';
import { TelemetryLoggerModule } from '@obs/telemetry';
import { AppModule } from './app/app.module';

async function bootstrap(): Promise<void> {
  // On express, or on Fastify with HTTP_PLATFORM=fastify: one build, the same routes and telemetry.
  await serve(await createApp(AppModule, { logger: TelemetryLoggerModule.createLogger() }), { port: 3000 });
}

void bootstrap();
