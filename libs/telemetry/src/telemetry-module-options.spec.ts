import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import type { Tracer } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { startTelemetry } from './sdk/start-telemetry';
import { getTelemetry } from './state/started-telemetry';
import type { TelemetryModuleOptions, TelemetryOptionsFactory } from './telemetry-module-options';
import { TelemetryModule } from './telemetry.module';
import { TRACER } from './telemetry.constants';

describe('TelemetryModule options', () => {
  const spans = new InMemorySpanExporter();

  beforeAll(() =>
    startTelemetry({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })], runtimeMetrics: false }),
  );
  afterAll(() => getTelemetry()?.shutdown());

  it('forRootAsync() fails at start-up, naming the option, when the factory returns a bad value', async () => {
    const compile = Test.createTestingModule({
      imports: [TelemetryModule.forRootAsync({ useFactory: () => ({ scopeName: '' }) })],
    }).compile();
    await expect(compile).rejects.toThrow('Invalid TelemetryModule option scopeName="": expected a non-empty string');
  });

  it.each([
    [{ scopeName: 42 }, 'Invalid TelemetryModule option scopeName=42: expected a non-empty string'],
    [{ scopename: 'typo' }, 'Unknown TelemetryModule option(s) scopename: known options are scopeName, scopeVersion'],
    ['scope', 'Invalid TelemetryModule options "scope": expected an object'],
  ])('forRootAsync() refuses a factory result of %p, naming the option and the value', async (options, message) => {
    const compile = Test.createTestingModule({
      imports: [TelemetryModule.forRootAsync({ useFactory: () => options as TelemetryModuleOptions })],
    }).compile();
    await expect(compile).rejects.toThrow(message);
  });

  it('forRootAsync() needs exactly one way to make the options', () => {
    expect(() => TelemetryModule.forRootAsync({})).toThrow(
      'TelemetryModule.forRootAsync() needs exactly one of useFactory, useClass or useExisting',
    );
  });

  @Injectable()
  class OptionsFromClass implements TelemetryOptionsFactory {
    createTelemetryOptions(): TelemetryModuleOptions {
      return { scopeName: 'from-class' };
    }
  }

  it('forRootAsync({ useClass }) makes the options with a class of its own', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [TelemetryModule.forRootAsync({ useClass: OptionsFromClass })],
    }).compile();
    moduleRef.get<Tracer>(TRACER).startSpan('by-class').end();
    expect(spans.getFinishedSpans().at(-1)?.instrumentationScope.name).toBe('from-class');
  });

  it('forRootAsync({ useExisting }) uses a provider the imported module already has', async () => {
    @Injectable()
    class SharedOptions implements TelemetryOptionsFactory {
      async createTelemetryOptions(): Promise<TelemetryModuleOptions> {
        return { scopeName: 'from-existing', scopeVersion: '2.0.0' };
      }
    }
    @Module({ providers: [SharedOptions], exports: [SharedOptions] })
    class SharedOptionsModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [TelemetryModule.forRootAsync({ imports: [SharedOptionsModule], useExisting: SharedOptions })],
    }).compile();
    moduleRef.get<Tracer>(TRACER).startSpan('by-existing').end();
    expect(spans.getFinishedSpans().at(-1)?.instrumentationScope).toMatchObject({
      name: 'from-existing',
      version: '2.0.0',
    });
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
