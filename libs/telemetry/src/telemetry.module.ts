import {
  type DynamicModule,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
  type Type,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { metrics, trace } from '@opentelemetry/api';
import { MetricService, TraceService } from 'nestjs-otel';
import { MeterService } from './metrics/meter.service';
import { createMetricsController } from './metrics/prometheus/metrics.controller';
import { getStartedTelemetry, isTelemetryDisabled } from './sdk/start-telemetry';
import { DEFAULT_METRICS_PATH } from './sdk/telemetry';
import {
  type TelemetryModuleAsyncOptions,
  type TelemetryModuleOptions,
  type TelemetryOptionsFactory,
  validateModuleOptions,
} from './telemetry-module-options';
import { METER, TELEMETRY_MODULE_OPTIONS, APP_SCOPE, TRACER } from './telemetry.constants';
import { HttpRouteGuard } from './tracing/http-route.guard';

const DEFAULT_SCOPE_NAME = 'app';

/**
 * Gives a Nest app the OpenTelemetry started by `startTelemetry()`: the `Tracer` and `Meter` by
 * injection (`@InjectTracer()`, `@InjectMeter()`), `MeterService` (instruments by name),
 * nestjs-otel's `TraceService` and `MetricService` (so that code written for nestjs-otel needs no
 * `OpenTelemetryModule` of its own), `http.route` on HTTP spans and metrics, and
 * `GET /metrics` in the Prometheus text format. Global: import it once, in the root module. On
 * application shutdown it flushes and stops the SDK.
 */
@Module({})
export class TelemetryModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TelemetryModule.name);

  static forRoot(options: TelemetryModuleOptions = {}): DynamicModule {
    return TelemetryModule.create([], [{ provide: TELEMETRY_MODULE_OPTIONS, useValue: options }]);
  }

  static forRootAsync(options: TelemetryModuleAsyncOptions): DynamicModule {
    return TelemetryModule.create(options.imports ?? [], asyncOptionsProviders(options));
  }

  private static create(imports: NonNullable<DynamicModule['imports']>, optionsProviders: Provider[]): DynamicModule {
    const metricsPath = getStartedTelemetry()?.metricsPath ?? DEFAULT_METRICS_PATH;
    return {
      module: TelemetryModule,
      global: true,
      imports,
      controllers: [createMetricsController(metricsPath, getStartedTelemetry)],
      providers: [
        ...optionsProviders,
        {
          provide: APP_SCOPE,
          useFactory: (options: TelemetryModuleOptions) =>
            options.scopeName ?? getStartedTelemetry()?.serviceName ?? DEFAULT_SCOPE_NAME,
          inject: [TELEMETRY_MODULE_OPTIONS],
        },
        {
          provide: TRACER,
          useFactory: (scope: string, options: TelemetryModuleOptions) => trace.getTracer(scope, options.scopeVersion),
          inject: [APP_SCOPE, TELEMETRY_MODULE_OPTIONS],
        },
        {
          provide: METER,
          useFactory: (scope: string, options: TelemetryModuleOptions) => metrics.getMeter(scope, options.scopeVersion),
          inject: [APP_SCOPE, TELEMETRY_MODULE_OPTIONS],
        },
        MeterService,
        TraceService,
        MetricService,
        // Disabled telemetry records no route: then the guard would be a cost for nothing.
        ...(isTelemetryDisabled() ? [] : [{ provide: APP_GUARD, useClass: HttpRouteGuard }]),
      ],
      exports: [TRACER, METER, APP_SCOPE, MeterService, TraceService, MetricService],
    };
  }

  onModuleInit(): void {
    if (!getStartedTelemetry()) {
      // Not fatal (the app works, tracer and meter are no-ops), but never silent.
      this.logger.warn('OpenTelemetry is not started: call startTelemetry() before Nest loads; telemetry is off');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await getStartedTelemetry()?.shutdown();
  }
}

/** The options provider of `forRootAsync()`, as Nest modules make it: by factory, by class or by an existing provider. */
function asyncOptionsProviders(options: TelemetryModuleAsyncOptions): Provider[] {
  const { useFactory, useClass, useExisting, inject = [] } = options;
  if ([useFactory, useClass, useExisting].filter(Boolean).length !== 1) {
    throw new TypeError('TelemetryModule.forRootAsync() needs exactly one of useFactory, useClass or useExisting');
  }
  if (useFactory) {
    return [
      {
        provide: TELEMETRY_MODULE_OPTIONS,
        useFactory: async (...args: unknown[]) => validateModuleOptions(await useFactory(...(args as never[]))),
        inject,
      },
    ];
  }
  const factory = (useClass ?? useExisting) as Type<TelemetryOptionsFactory>;
  return [
    ...(useClass ? [{ provide: useClass, useClass }] : []),
    {
      provide: TELEMETRY_MODULE_OPTIONS,
      useFactory: async (made: TelemetryOptionsFactory) => validateModuleOptions(await made.createTelemetryOptions()),
      inject: [factory],
    },
  ];
}
