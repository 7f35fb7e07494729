import {
  type DynamicModule,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { createMetricsController } from './metrics/prometheus/metrics.controller';
import { DEFAULT_METRICS_PATH, getStartedTelemetry } from './state/started-telemetry';
import {
  requireOneOptionsSource,
  type TelemetryModuleAsyncOptions,
  type TelemetryModuleOptions,
} from './telemetry-module-options';
import { ConfigurableModuleClass } from './telemetry.module-definition';
import {
  CHECKED_OPTIONS_PROVIDER,
  GIVEN_OPTIONS_PROVIDER,
  TELEMETRY_EXPORTS,
  telemetryProviders,
} from './telemetry.providers';

/**
 * Gives a Nest app the OpenTelemetry started by `startTelemetry()`: the `Tracer` and `Meter` by
 * injection (`@InjectTracer()`, `@InjectMeter()`), `MeterService` (instruments by name),
 * nestjs-otel's `TraceService` and `MetricService` (so that code written for nestjs-otel needs no
 * `OpenTelemetryModule` of its own), `http.route` on HTTP spans and metrics, and
 * `GET /metrics` in the Prometheus text format. Global: import it once, in the root module. On
 * application shutdown it flushes and stops the SDK.
 *
 * @example
 * // the root module's metadata, given to `@Module()`:
 * { imports: [TelemetryModule.forRoot({ scopeName: 'orders' }), OrdersModule] }
 */
@Module({})
export class TelemetryModule extends ConfigurableModuleClass implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TelemetryModule.name);

  /**
   * The module with options known when the app is written.
   *
   * @param options - the instrumentation scope of the app's tracer and meter; by default (`{}`) the
   *   service name, else `app`
   * @example
   * TelemetryModule.forRoot({ scopeName: 'orders' })
   */
  static override forRoot(options: TelemetryModuleOptions = {}): DynamicModule {
    return withTelemetry(super.forRoot(options), GIVEN_OPTIONS_PROVIDER);
  }

  /**
   * The module with options made at start-up by other providers (`ConfigService`): by `useFactory`,
   * `useClass` or `useExisting`, exactly one. The options made are checked: a bad one fails the start-up,
   * naming the option and the value.
   *
   * @example
   * TelemetryModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({ scopeName: config.get('telemetry.scope') }),
   * })
   */
  static override forRootAsync(options: TelemetryModuleAsyncOptions): DynamicModule {
    requireOneOptionsSource(options);
    return withTelemetry(super.forRootAsync(options), CHECKED_OPTIONS_PROVIDER);
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

/**
 * The builder's module (its options provider) made global, with the `/metrics` controller, the providers
 * and the exports. The controller's path is read here because a route path is fixed when its controller
 * class is declared.
 */
function withTelemetry(definition: DynamicModule, optionsProvider: Provider): DynamicModule {
  const metricsPath = getStartedTelemetry()?.metricsPath ?? DEFAULT_METRICS_PATH;
  return {
    ...definition,
    global: true,
    controllers: [createMetricsController(metricsPath, getStartedTelemetry)],
    providers: [...(definition.providers ?? []), optionsProvider, ...telemetryProviders()],
    exports: TELEMETRY_EXPORTS,
  };
}
