import type { PrometheusExposition } from '../metrics/prometheus-exposition';
import type { ScrapeAuthorization } from '../metrics/scrape-authorization';

/** What {@link startTelemetry} started: the handle the Nest module and the shutdown path use. */
export interface Telemetry {
  /** `false` when `OTEL_SDK_DISABLED=true`: nothing was constructed or patched. */
  readonly enabled: boolean;
  /** `OTEL_SERVICE_NAME`, else the `serviceName` given to `startTelemetry()`. */
  readonly serviceName: string | undefined;
  /** The path Prometheus scrapes. */
  readonly metricsPath: string;
  /**
   * The exposition `TelemetryModule` serves at `metricsPath` on the app's own port, or `undefined`
   * when metrics are served on a port of their own (`OTEL_EXPORTER_PROMETHEUS_PORT`) or telemetry is
   * disabled.
   */
  readonly appPortMetrics: PrometheusExposition | undefined;
  /** Who may scrape `metricsPath`, on either port: anyone, or holders of `METRICS_BEARER_TOKEN`. */
  readonly scrapeAuthorization: ScrapeAuthorization;
  /** Flushes every pending span, metric and log record and stops the SDK; never rejects. */
  shutdown(): Promise<void>;
}

export const DEFAULT_METRICS_PATH = '/metrics';
