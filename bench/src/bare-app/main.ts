// The baseline of the benchmark: health-api's routes on Nest 12 + express (or Fastify with
// BENCH_PLATFORM=fastify), with no telemetry at all (no @obs/telemetry, no OpenTelemetry package loaded).
// Started by the bench with PORT=0 and HOST=127.0.0.1; with BENCH_ASYNC_CONTEXT=true, each request also
// runs in an AsyncLocalStorage store of its own.
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type * as PlatformFastify from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { useAsyncContextPerRequest } from './async-context';

/** On Fastify as health-api's createApp() puts it there (default adapter options); Fastify loaded only then. */
function createApp(): Promise<INestApplication> {
  if (process.env['BENCH_PLATFORM'] !== 'fastify') return NestFactory.create(AppModule);
  const { FastifyAdapter } = require('@nestjs/platform-fastify') as typeof PlatformFastify;
  return NestFactory.create(AppModule, new FastifyAdapter());
}

async function bootstrap(): Promise<void> {
  const app = await createApp();
  if (process.env['BENCH_ASYNC_CONTEXT'] === 'true') useAsyncContextPerRequest(app);
  await app.listen(Number(process.env['PORT'] ?? 3000), process.env['HOST'] ?? '127.0.0.1');
  new Logger('Bootstrap').log(`Listening on ${await app.getUrl()}`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void bootstrap();
