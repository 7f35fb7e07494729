import type { PrometheusExposition } from '../metrics/prometheus/prometheus-exposition';
import type { ScrapeAuthorization } from '../metrics/prometheus/scrape-authorization';

/** What {@link startTelemetry} started. */
export interface Telemetry {
  /** `false` when `OTEL_SDK_DISABLED=true`: nothing was constructed or patched. */
  readonly enabled: boolean;
  /** `OTEL_SERVICE_NAME`, else the `serviceName` given to `startTelemetry()`. */
  readonly serviceName: string | undefined;
  /** Flushes every pending span, metric and log record and stops the SDK; never rejects. */
  shutdown(): Promise<void>;
}

/** The started telemetry as the Nest module sees it: where and to whom it serves `/metrics`. */
export interface StartedTelemetry extends Telemetry {
  /** The path Prometheus scrapes. */
  readonly metricsPath: string;
  /**
   * The exposition `TelemetryModule` serves at `metricsPath` on the app's own port, or `undefined`
   * when metrics are served on a port of their own (`OTEL_EXPORTER_PROMETHEUS_PORT`), not served at all
   * (`OTEL_METRICS_EXPORTER` without `prometheus`) or telemetry is disabled.
   */
  readonly appPortMetrics: PrometheusExposition | undefined;
  /** Who may scrape `metricsPath`, on either port: anyone, or holders of `METRICS_BEARER_TOKEN`. */
  readonly scrapeAuthorization: ScrapeAuthorization;
}

export const DEFAULT_METRICS_PATH = '/metrics';
