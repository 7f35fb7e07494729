import './instrumentation';
import { createApp, serve } from '@obs/lifecycle';
import { listenToBroker } from '@obs/lifecycle/broker';
import { TelemetryLoggerModule } from '@obs/telemetry';
import { AppModule } from './app/app.module';

async function bootstrap(): Promise<void> {
  const app = await createApp(AppModule, { logger: TelemetryLoggerModule.createLogger() });
  await listenToBroker(app);
  await serve(app, { port: 3002 });
}

void bootstrap();
