// The bare app with @obs/telemetry: `lib-on-bare` (what the library does by itself) and the ablation
// variants, which switch its parts on one at a time (see parts.ts). Started by the bench like the bare app.
import './instrumentation';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TelemetryLoggerModule } from '@obs/telemetry';
import { getTelemetry } from '@obs/telemetry/register';
import { AppModule } from './app.module';
import { PARTS } from './parts';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(
    AppModule.withParts(),
    PARTS.logger ? { logger: TelemetryLoggerModule.createLogger() } : {},
  );
  await app.listen(Number(process.env['PORT'] ?? 3000), process.env['HOST'] ?? '127.0.0.1');
  new Logger('Bootstrap').log(`Listening on ${await app.getUrl()}`);
  // Telemetry is flushed also where TelemetryModule, which does it on shutdown, is switched off.
  process.once(
    'SIGTERM',
    () =>
      void app
        .close()
        .then(async () => await getTelemetry()?.shutdown())
        .then(() => process.exit(0)),
  );
}

void bootstrap();
