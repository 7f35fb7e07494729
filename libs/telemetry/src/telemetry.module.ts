import {
  type DynamicModule,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { metrics, trace } from '@opentelemetry/api';
import { TraceService } from 'nestjs-otel';
import { MeterService } from './metrics/meter.service';
import { createMetricsController } from './metrics/metrics.controller';
import { getTelemetry, isTelemetryDisabled } from './sdk/start-telemetry';
import { DEFAULT_METRICS_PATH } from './sdk/telemetry';
import {
  type TelemetryModuleAsyncOptions,
  type TelemetryModuleOptions,
  validateModuleOptions,
} from './telemetry-module-options';
import { METER, TELEMETRY_MODULE_OPTIONS, TELEMETRY_SCOPE_NAME, TRACER } from './telemetry.constants';
import { HttpRouteGuard } from './tracing/http-route.guard';

const DEFAULT_SCOPE_NAME = 'app';

/**
 * Gives a Nest app the OpenTelemetry started by `startTelemetry()`: the `Tracer` and `Meter` by
 * injection (`@InjectTracer()`, `@InjectMeter()`), `MeterService` (instruments by name),
 * nestjs-otel's `TraceService` (the current span), `http.route` on HTTP spans and metrics, and
 * `GET /metrics` in the Prometheus text format. Global: import it once, in the root module. On
 * application shutdown it flushes and stops the SDK.
 */
@Module({})
export class TelemetryModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TelemetryModule.name);

  static forRoot(options: TelemetryModuleOptions = {}): DynamicModule {
    validateModuleOptions(options);
    return TelemetryModule.create([], { provide: TELEMETRY_MODULE_OPTIONS, useValue: options });
  }

  static forRootAsync(options: TelemetryModuleAsyncOptions): DynamicModule {
    return TelemetryModule.create(options.imports ?? [], {
      provide: TELEMETRY_MODULE_OPTIONS,
      useFactory: async (...args: unknown[]) => validateModuleOptions(await options.useFactory(...args)),
      inject: options.inject ?? [],
    });
  }

  private static create(imports: NonNullable<DynamicModule['imports']>, optionsProvider: Provider): DynamicModule {
    const metricsPath = getTelemetry()?.metricsPath ?? DEFAULT_METRICS_PATH;
    return {
      module: TelemetryModule,
      global: true,
      imports,
      controllers: [createMetricsController(metricsPath, getTelemetry)],
      providers: [
        optionsProvider,
        {
          provide: TELEMETRY_SCOPE_NAME,
          useFactory: (options: TelemetryModuleOptions) =>
            options.scopeName ?? getTelemetry()?.serviceName ?? DEFAULT_SCOPE_NAME,
          inject: [TELEMETRY_MODULE_OPTIONS],
        },
        {
          provide: TRACER,
          useFactory: (scope: string, options: TelemetryModuleOptions) => trace.getTracer(scope, options.scopeVersion),
          inject: [TELEMETRY_SCOPE_NAME, TELEMETRY_MODULE_OPTIONS],
        },
        {
          provide: METER,
          useFactory: (scope: string, options: TelemetryModuleOptions) => metrics.getMeter(scope, options.scopeVersion),
          inject: [TELEMETRY_SCOPE_NAME, TELEMETRY_MODULE_OPTIONS],
        },
        MeterService,
        TraceService,
        // Disabled telemetry records no route: then the guard would be a cost for nothing.
        ...(isTelemetryDisabled() ? [] : [{ provide: APP_GUARD, useClass: HttpRouteGuard }]),
      ],
      exports: [TRACER, METER, TELEMETRY_SCOPE_NAME, MeterService, TraceService],
    };
  }

  onModuleInit(): void {
    if (!getTelemetry()) {
      // Not fatal (the app works, tracer and meter are no-ops), but never silent.
      this.logger.warn('OpenTelemetry is not started: call startTelemetry() before Nest loads; telemetry is off');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await getTelemetry()?.shutdown();
  }
}
