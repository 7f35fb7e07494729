import './instrumentation';
import { createApp, serve } from '@obs/lifecycle';
import { TelemetryLoggerModule } from '@obs/telemetry';
import { AppModule } from './app/app.module';

async function bootstrap(): Promise<void> {
  await serve(await createApp(AppModule, { logger: TelemetryLoggerModule.createLogger() }), { port: 3001 });
}

void bootstrap();
