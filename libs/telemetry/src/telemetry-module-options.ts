import type { ModuleMetadata } from '@nestjs/common';

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

/** Options of `TelemetryModule.forRootAsync()`: options made by a factory, e.g. from `ConfigService`. */
export interface TelemetryModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  useFactory: (...args: any[]) => TelemetryModuleOptions | Promise<TelemetryModuleOptions>;
  inject?: any[];
}

/** Throws at start-up for an option of the wrong kind, naming the option and the value. */
export function validateModuleOptions(options: unknown): TelemetryModuleOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`Invalid TelemetryModule options ${JSON.stringify(options)}: expected an object`);
  }
  const record = options as Record<string, unknown>;
  for (const name of ['scopeName', 'scopeVersion']) {
    const value = record[name];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      throw new TypeError(
        `Invalid TelemetryModule option ${name}=${JSON.stringify(value)}: expected a non-empty string`,
      );
    }
  }
  const unknown = Object.keys(record).filter((name) => !['scopeName', 'scopeVersion'].includes(name));
  if (unknown.length > 0) {
    throw new TypeError(
      `Unknown TelemetryModule option(s) ${unknown.join(', ')}: known options are scopeName, scopeVersion`,
    );
  }
  return record as TelemetryModuleOptions;
}
