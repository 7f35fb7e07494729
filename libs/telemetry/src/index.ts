// The public face of @obs/telemetry: apps import from here only.

// Start-up (Nest-free: call before Nest loads)
export { startTelemetry, getTelemetry } from './sdk/start-telemetry';
export type { StartTelemetryOptions } from './sdk/telemetry-options';
export type { Telemetry } from './sdk/telemetry';

// Nest module and injection
export { TelemetryModule } from './telemetry.module';
export type { TelemetryModuleOptions, TelemetryModuleAsyncOptions } from './telemetry-module-options';
export { TRACER, METER, TELEMETRY_SCOPE } from './telemetry.constants';
export { InjectTracer } from './tracing/inject-tracer.decorator';
export { InjectMeter } from './metrics/inject-meter.decorator';

// Tracing
export { Span } from './tracing/span.decorator';

// From nestjs-otel, provided by TelemetryModule: instruments by name, the current span.
export { MetricService, TraceService } from 'nestjs-otel';

// Lifecycle
export { serve, type ServeOptions } from './lifecycle/serve';
export { enableGracefulShutdown, type GracefulShutdownOptions } from './lifecycle/graceful-shutdown';
