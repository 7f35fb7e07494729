import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';

/** Options of {@link startTelemetry}. Every `OTEL_*` environment variable it honours wins over these. */
export interface StartTelemetryOptions {
  /** `service.name` when `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` name none. Default: none (the SDK's `unknown_service:node`). */
  serviceName?: string;
  /** `service.version` when the environment names none. Default: none. */
  serviceVersion?: string;
  /**
   * Span processors to use instead of those chosen by `OTEL_TRACES_EXPORTER`
   * (an in-memory exporter in tests, a custom processor in production). Default: from the environment.
   */
  spanProcessors?: SpanProcessor[];
  /** Log record processors to use instead of those chosen by `OTEL_LOGS_EXPORTER`. Default: from the environment. */
  logRecordProcessors?: LogRecordProcessor[];
  /** Metric readers added beside the Prometheus exposition. Default: none. */
  metricReaders?: IMetricReader[];
  /** Instrumentations added to HTTP (and runtime metrics), which are always on. Default: none. */
  instrumentations?: Instrumentation[];
  /** Path that Prometheus scrapes; requests to it are not traced. Default `/metrics`. */
  metricsPath?: string;
  /** Node.js runtime metrics (event-loop delay and utilization, heap, GC) on `/metrics`. Default `true`. */
  runtimeMetrics?: boolean;
  /**
   * Histograms (instrument names, exact) that Prometheus also gets as native histograms when it asks for the
   * protobuf format, beside their classic buckets; replaces the default, `[]` for none. Push exporters and
   * the text formats are unchanged. `PROMETHEUS_NATIVE_HISTOGRAMS` wins. Default `['http.server.request.duration']`.
   */
  nativeHistograms?: string[];
  /**
   * Most buckets of each native histogram: past it, the buckets get coarser (the SDK's exponential
   * `maxSize`). `PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS` wins. Default `160`.
   */
  nativeHistogramMaxBuckets?: number;
}
