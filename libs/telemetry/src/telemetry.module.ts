import {
  type DynamicModule,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { metrics, trace } from '@opentelemetry/api';
import { OpenTelemetryModule } from 'nestjs-otel';
import { createMetricsController } from './metrics/metrics.controller';
import { getTelemetry } from './sdk/start-telemetry';
import { DEFAULT_METRICS_PATH } from './sdk/telemetry';
import type { TelemetryModuleAsyncOptions, TelemetryModuleOptions } from './telemetry-module-options';
import { METER, TELEMETRY_MODULE_OPTIONS, TRACER } from './telemetry.constants';
import { HttpRouteInterceptor } from './tracing/http-route.interceptor';

const DEFAULT_SCOPE_NAME = 'app';

/**
 * Gives a Nest app the OpenTelemetry started by `startTelemetry()`: the `Tracer` and `Meter` by
 * injection (`@InjectTracer()`, `@InjectMeter()`), nestjs-otel's `MetricService` and `TraceService`,
 * `http.route` on HTTP spans and metrics, and `GET /metrics` in the Prometheus text format.
 * Global: import it once, in the root module. On application shutdown it flushes and stops the SDK.
 */
@Module({})
export class TelemetryModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TelemetryModule.name);

  static forRoot(options: TelemetryModuleOptions = {}): DynamicModule {
    return TelemetryModule.create([], { provide: TELEMETRY_MODULE_OPTIONS, useValue: options });
  }

  static forRootAsync(options: TelemetryModuleAsyncOptions): DynamicModule {
    return TelemetryModule.create(options.imports ?? [], {
      provide: TELEMETRY_MODULE_OPTIONS,
      useFactory: options.useFactory,
      inject: options.inject ?? [],
    });
  }

  private static create(imports: DynamicModule['imports'] & object, optionsProvider: Provider): DynamicModule {
    const metricsPath = getTelemetry()?.metricsPath ?? DEFAULT_METRICS_PATH;
    return {
      module: TelemetryModule,
      global: true,
      imports: [...imports, OpenTelemetryModule.forRoot()],
      controllers: [createMetricsController(metricsPath, getTelemetry)],
      providers: [
        optionsProvider,
        {
          provide: TRACER,
          useFactory: (options: TelemetryModuleOptions) => trace.getTracer(scopeName(options), options.scopeVersion),
          inject: [TELEMETRY_MODULE_OPTIONS],
        },
        {
          provide: METER,
          useFactory: (options: TelemetryModuleOptions) => metrics.getMeter(scopeName(options), options.scopeVersion),
          inject: [TELEMETRY_MODULE_OPTIONS],
        },
        { provide: APP_INTERCEPTOR, useClass: HttpRouteInterceptor },
      ],
      exports: [TRACER, METER, OpenTelemetryModule],
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

function scopeName(options: TelemetryModuleOptions): string {
  return options.scopeName ?? getTelemetry()?.serviceName ?? DEFAULT_SCOPE_NAME;
}
