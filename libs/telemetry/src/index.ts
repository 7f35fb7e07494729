// The public face of @obs/telemetry: the Nest API. Start-up, free of Nest, is `@obs/telemetry/register`;
// helpers for specs are `@obs/telemetry/testing`.

// Nest module and injection tokens
export { TelemetryModule } from './telemetry.module';
export type {
  TelemetryModuleOptions,
  TelemetryModuleAsyncOptions,
  TelemetryOptionsFactory,
} from './telemetry-module-options';
export { TRACER, METER, APP_SCOPE, LIBRARY_SCOPE } from './telemetry.constants';

// Tracing
export { Span } from './tracing/span.decorator';
export type { SpanDecoratorOptions } from './tracing/span-options';
export { Traced, NoSpan } from './tracing/traced.decorator';
export { CurrentSpan } from './tracing/current-span.decorator';
export { InjectTracer } from './tracing/inject-tracer.decorator';
// nestjs-otel's, provided by TelemetryModule: the current span and trace id where code needs them.
export { TraceService } from 'nestjs-otel';

// Metrics
// nestjs-otel's, provided by TelemetryModule for code written against it. Its instruments are cached
// process-wide, so one made before the SDK starts stays a no-op (see the README): new code, MeterService.
export { MetricService } from 'nestjs-otel';
export { InjectMeter } from './metrics/inject-meter.decorator';
export { MeterService } from './metrics/meter.service';
export { Counted } from './metrics/counted.decorator';
export { Timed } from './metrics/timed.decorator';
export type { MethodMetricOptions } from './metrics/method-metrics';

// Logs
export { TelemetryLoggerModule, type TelemetryLoggerParams } from './logging/telemetry-logger.module';
