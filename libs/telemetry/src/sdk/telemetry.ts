import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';

/** What {@link startTelemetry} started: the handle the Nest module and the shutdown path use. */
export interface Telemetry {
  /** `false` when `OTEL_SDK_DISABLED=true`: nothing was constructed or patched. */
  readonly enabled: boolean;
  /** `OTEL_SERVICE_NAME`, else the `serviceName` given to `startTelemetry()`. */
  readonly serviceName: string | undefined;
  /** The path Prometheus scrapes. */
  readonly metricsPath: string;
  /**
   * The exporter whose handler serves the Prometheus text format on the app's own port, or
   * `undefined` when metrics are served on a port of their own (`OTEL_EXPORTER_PROMETHEUS_PORT`)
   * or telemetry is disabled.
   */
  readonly appPortExporter: PrometheusExporter | undefined;
  /** Flushes every pending span and metric and stops the SDK; never rejects. */
  shutdown(): Promise<void>;
}

export const DEFAULT_METRICS_PATH = '/metrics';
