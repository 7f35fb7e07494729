// The baseline of the benchmark: health-api's routes on Nest 11 + express, with no telemetry at all
// (no @obs/telemetry, no OpenTelemetry package loaded). Started by the bench with PORT=0 and HOST=127.0.0.1;
// with BENCH_ASYNC_CONTEXT=true, each request also runs in an AsyncLocalStorage store of its own.
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { useAsyncContextPerRequest } from './async-context';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  if (process.env['BENCH_ASYNC_CONTEXT'] === 'true') useAsyncContextPerRequest(app);
  await app.listen(Number(process.env['PORT'] ?? 3000), process.env['HOST'] ?? '127.0.0.1');
  new Logger('Bootstrap').log(`Listening on ${await app.getUrl()}`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void bootstrap();
