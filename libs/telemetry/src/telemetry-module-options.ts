import type { ModuleMetadata } from '@nestjs/common';

/** Options of `TelemetryModule.forRoot()`. */
export interface TelemetryModuleOptions {
  /**
   * Instrumentation scope of the injected `Tracer` and `Meter` (the Python example's `__name__`).
   * Default: the service's name as given to `startTelemetry()`, else `app`.
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
