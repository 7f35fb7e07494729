import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Options of {@link startTelemetry}. Every `OTEL_*` environment variable it honours wins over these. */
export interface StartTelemetryOptions {
  /** `service.name` when `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` name none. */
  serviceName?: string;
  /** `service.version` when the environment names none. */
  serviceVersion?: string;
  /**
   * Span processors to use instead of those chosen by `OTEL_TRACES_EXPORTER`
   * (an in-memory exporter in tests, a custom processor in production).
   */
  spanProcessors?: SpanProcessor[];
  /** Metric readers added beside the Prometheus exporter. */
  metricReaders?: IMetricReader[];
  /** Instrumentations added to the HTTP server/client instrumentation that is always on. */
  instrumentations?: Instrumentation[];
  /** Path that Prometheus scrapes; requests to it are not traced. Default `/metrics`. */
  metricsPath?: string;
}
