import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import type { IdGenerator, SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * Options of {@link startTelemetry}. Every `OTEL_*` environment variable it honours wins over these.
 *
 * @example
 * startTelemetry({ serviceName: 'orders', serviceVersion: '1.4.0', nativeHistograms: [] })
 */
export interface StartTelemetryOptions {
  /**
   * `service.name` when `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` name none.
   * @default undefined (the SDK's `unknown_service:node`)
   */
  serviceName?: string;
  /**
   * `service.version` when the environment names none.
   * @default undefined (none)
   */
  serviceVersion?: string;
  /**
   * Span processors to use instead of those chosen by `OTEL_TRACES_EXPORTER`
   * (an in-memory exporter in tests, a custom processor in production).
   * @default undefined (from the environment)
   */
  spanProcessors?: SpanProcessor[];
  /**
   * Makes the trace and span ids, in place of the library's (random bytes from the operating system's
   * generator, drawn a pool at a time): for a backend whose ids carry more than randomness, such as AWS X-Ray's.
   * @default undefined (the library's random ids)
   * @example
   * startTelemetry({ idGenerator: new AWSXRayIdGenerator() }) // from @opentelemetry/id-generator-aws-xray
   */
  idGenerator?: IdGenerator;
  /**
   * Log record processors to use instead of those chosen by `OTEL_LOGS_EXPORTER`.
   * @default undefined (from the environment)
   */
  logRecordProcessors?: LogRecordProcessor[];
  /**
   * Metric readers added beside the Prometheus exposition.
   * @default [] (none)
   */
  metricReaders?: IMetricReader[];
  /**
   * Instrumentations added to HTTP (and runtime metrics), which are always on.
   * @default [] (none)
   */
  instrumentations?: Instrumentation[];
  /**
   * Path that Prometheus scrapes; requests to it are not traced.
   * @default '/metrics'
   */
  metricsPath?: string;
  /**
   * Node.js runtime metrics (event-loop delay and utilization, heap, GC) on `/metrics`.
   * @default true
   */
  runtimeMetrics?: boolean;
  /**
   * Histograms (instrument names, exact) that Prometheus also gets as native histograms when it asks for the
   * protobuf format, beside their classic buckets; replaces the default, `[]` for none. Push exporters and
   * the text formats are unchanged. `PROMETHEUS_NATIVE_HISTOGRAMS` wins.
   * @default ['http.server.request.duration']
   */
  nativeHistograms?: string[];
  /**
   * Most buckets of each native histogram: past it, the buckets get coarser (the SDK's exponential
   * `maxSize`). `PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS` wins.
   * @default 160
   */
  nativeHistogramMaxBuckets?: number;
}
