import type { FactoryProvider, ModuleMetadata, Type } from '@nestjs/common';

/** Options of `TelemetryModule.forRoot()`. */
export interface TelemetryModuleOptions {
  /**
   * Instrumentation scope of the injected `Tracer`, `Meter` and `MeterService` instruments (the Python
   * example's `__name__`; `otel_scope_name` on `/metrics`). Default: the service name given to
   * `startTelemetry()` or `OTEL_SERVICE_NAME`, else `app`.
   */
  scopeName?: string;
  /** Version of that scope. Default: none. */
  scopeVersion?: string;
}

/** A provider that makes the options, for `forRootAsync({ useClass })` and `forRootAsync({ useExisting })`. */
export interface TelemetryOptionsFactory {
  createTelemetryOptions(): TelemetryModuleOptions | Promise<TelemetryModuleOptions>;
}

/**
 * Options of `TelemetryModule.forRootAsync()`, made at start-up from other providers (`ConfigService`),
 * as every Nest module takes them: exactly one of `useFactory`, `useClass` or `useExisting`.
 */
export interface TelemetryModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Called with the providers named in `inject`, in order. */
  useFactory?: (...args: never[]) => TelemetryModuleOptions | Promise<TelemetryModuleOptions>;
  inject?: FactoryProvider['inject'];
  useClass?: Type<TelemetryOptionsFactory>;
  useExisting?: Type<TelemetryOptionsFactory>;
}

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
