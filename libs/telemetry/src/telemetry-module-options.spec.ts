import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import type { Tracer } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { getTelemetry, startTelemetry } from './sdk/start-telemetry';
import { TelemetryModule } from './telemetry.module';
import { TRACER } from './telemetry.constants';

describe('TelemetryModule options', () => {
  const spans = new InMemorySpanExporter();

  beforeAll(() => startTelemetry({ spanProcessors: [new SimpleSpanProcessor(spans)], runtimeMetrics: false }));
  afterAll(() => getTelemetry()?.shutdown());

  it.each([
    [{ scopeName: 42 }, 'Invalid TelemetryModule option scopeName=42: expected a non-empty string'],
    [{ scopeVersion: ' ' }, 'Invalid TelemetryModule option scopeVersion=" ": expected a non-empty string'],
    [{ scopename: 'typo' }, 'Unknown TelemetryModule option(s) scopename: known options are scopeName, scopeVersion'],
  ])('forRoot(%p) fails at start-up naming the option and the value', (options, message) => {
    expect(() => TelemetryModule.forRoot(options as never)).toThrow(message);
  });

  it('forRootAsync() fails at start-up, naming the option, when the factory returns a bad value', async () => {
    const compile = Test.createTestingModule({
      imports: [TelemetryModule.forRootAsync({ useFactory: () => ({ scopeName: '' }) })],
    }).compile();
    await expect(compile).rejects.toThrow('Invalid TelemetryModule option scopeName="": expected a non-empty string');
  });

  it('forRootAsync() takes its options from @nestjs/config', async () => {
    @Injectable()
    class Probe {}
    @Module({ providers: [Probe] })
    class ProbeModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          load: [() => ({ telemetry: { scope: 'from-config', version: '9.9.9' } })],
        }),
        TelemetryModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            scopeName: config.getOrThrow<string>('telemetry.scope'),
            scopeVersion: config.get<string>('telemetry.version'),
          }),
        }),
        ProbeModule,
      ],
    }).compile();
    moduleRef.get<Tracer>(TRACER).startSpan('configured').end();
    expect(spans.getFinishedSpans().at(-1)?.instrumentationScope).toMatchObject({
      name: 'from-config',
      version: '9.9.9',
    });
  });
});
