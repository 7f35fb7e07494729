import type { ConfigurableModuleAsyncOptions } from '@nestjs/common';

/**
 * Options of `TelemetryModule.forRoot()`.
 *
 * @example
 * TelemetryModule.forRoot({ scopeName: 'orders', scopeVersion: '1.4.0' })
 */
export interface TelemetryModuleOptions {
  /**
   * Instrumentation scope of the injected `Tracer`, `Meter` and `MeterService` instruments (the Python
   * example's `__name__`; `otel_scope_name` on `/metrics`).
   * @default the service name given to `startTelemetry()` or `OTEL_SERVICE_NAME`, else `'app'`
   */
  scopeName?: string;
  /**
   * Version of that scope.
   * @default undefined (none)
   */
  scopeVersion?: string;
}

/** The method `forRootAsync({ useClass })` and `forRootAsync({ useExisting })` call on their provider. */
export const OPTIONS_FACTORY_METHOD = 'createTelemetryOptions';

/**
 * A provider that makes the options, for `forRootAsync({ useClass })` and `forRootAsync({ useExisting })`.
 *
 * @example
 * // Decorated with `@Injectable()`, and given as `forRootAsync({ useClass: TelemetryOptions })`:
 * class TelemetryOptions implements TelemetryOptionsFactory {
 *   constructor(private readonly config: ConfigService) {}
 *   createTelemetryOptions(): TelemetryModuleOptions {
 *     return { scopeName: this.config.getOrThrow('telemetry.scope') };
 *   }
 * }
 */
export interface TelemetryOptionsFactory {
  createTelemetryOptions(): TelemetryModuleOptions | Promise<TelemetryModuleOptions>;
}

/**
 * Options of `TelemetryModule.forRootAsync()`, made at start-up from other providers (`ConfigService`),
 * as every Nest module takes them (Nest's `ConfigurableModuleBuilder` makes the providers): exactly one of
 * `useFactory` (called with the providers named in `inject`, in order), `useClass` or `useExisting`.
 *
 * @example
 * TelemetryModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ scopeName: config.getOrThrow('telemetry.scope') }),
 * })
 */
export type TelemetryModuleAsyncOptions = ConfigurableModuleAsyncOptions<
  TelemetryModuleOptions,
  typeof OPTIONS_FACTORY_METHOD
>;

const OPTION_NAMES = ['scopeName', 'scopeVersion'];

/**
 * Checks options that came from a factory at run time (from configuration, so untyped in practice),
 * naming the option and the value: what TypeScript checks in `forRoot()` can be wrong here.
 */
export function validateModuleOptions(options: unknown): TelemetryModuleOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`Invalid TelemetryModule options ${JSON.stringify(options)}: expected an object`);
  }
  const record = options as Record<string, unknown>;
  for (const name of OPTION_NAMES) {
    const value = record[name];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      throw new TypeError(
        `Invalid TelemetryModule option ${name}=${JSON.stringify(value)}: expected a non-empty string`,
      );
    }
  }
  const unknown = Object.keys(record).filter((name) => !OPTION_NAMES.includes(name));
  if (unknown.length > 0) {
    throw new TypeError(
      `Unknown TelemetryModule option(s) ${unknown.join(', ')}: known options are ${OPTION_NAMES.join(', ')}`,
    );
  }
  return record as TelemetryModuleOptions;
}

/**
 * Refuses `forRootAsync()` options that name no way, or several ways, to make the options: Nest's builder
 * would pick one silently, or fail later with a message that names no option.
 */
export function requireOneOptionsSource({ useFactory, useClass, useExisting }: TelemetryModuleAsyncOptions): void {
  if ([useFactory, useClass, useExisting].filter(Boolean).length !== 1) {
    throw new TypeError('TelemetryModule.forRootAsync() needs exactly one of useFactory, useClass or useExisting');
  }
}
