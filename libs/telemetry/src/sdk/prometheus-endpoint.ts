import { getStringFromEnv } from '@opentelemetry/core';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import { exemplarsOf } from '../metrics/exemplars';
import { MetricsServer } from '../metrics/prometheus/metrics-server';
import { PrometheusExposition } from '../metrics/prometheus/prometheus-exposition';
import { ScrapeAuthorization } from '../metrics/prometheus/scrape-authorization';
import type { FileSdkConfig } from './config-file-sdk';
import { readEnvOr, readEnvPort } from './env';

/** Where and to whom the SDK's metrics are served to Prometheus. */
export interface PrometheusEndpoint {
  /** The exposition, when Prometheus is among the metrics exporters: its reader joins the SDK's. */
  readonly exposition: PrometheusExposition | undefined;
  /** Who may scrape, on the app's port and on a port of its own alike (`METRICS_BEARER_TOKEN`). */
  readonly scrapeAuthorization: ScrapeAuthorization;
  /** `/metrics` on a port of its own; `undefined` when the Nest module serves it on the app's port. */
  readonly metricsServer: MetricsServer | undefined;
}

/**
 * The Prometheus exposition and how it is served, when `wanted` (`prometheus` in `OTEL_METRICS_EXPORTER`,
 * or the configuration file's pull exporter `file`), reading `metricProducers` beside the SDK. Only built,
 * not started: the metrics server listens once the SDK has started.
 */
export function createPrometheusEndpoint(
  wanted: boolean,
  metricsPath: string,
  file: FileSdkConfig['prometheus'],
  metricProducers: MetricProducer[],
): PrometheusEndpoint {
  const exposition = wanted ? new PrometheusExposition(exemplarsOf, metricProducers) : undefined;
  const scrapeAuthorization = ScrapeAuthorization.fromEnv();
  return {
    exposition,
    scrapeAuthorization,
    metricsServer: exposition && createMetricsServer(exposition, metricsPath, scrapeAuthorization, file),
  };
}

/**
 * `OTEL_EXPORTER_PROMETHEUS_PORT` moves `/metrics` to a port of its own (on
 * `OTEL_EXPORTER_PROMETHEUS_HOST`, default every interface). A bad port must not stop the app: it
 * falls back to serving metrics on the app's port, with one warning. With a configuration file, its
 * Prometheus exporter's `port` and `host` say the same (the schema has checked the port).
 */
function createMetricsServer(
  exposition: PrometheusExposition,
  path: string,
  authorization: ScrapeAuthorization,
  file: FileSdkConfig['prometheus'],
): MetricsServer | undefined {
  if (file) {
    return file.port === undefined
      ? undefined
      : new MetricsServer(exposition, { port: file.port, host: file.host, path, authorization });
  }
  const port = readEnvOr(
    () => readEnvPort('OTEL_EXPORTER_PROMETHEUS_PORT'),
    undefined,
    "serving metrics on the app's own port instead",
  );
  if (port === undefined) return undefined;
  return new MetricsServer(exposition, {
    port,
    host: getStringFromEnv('OTEL_EXPORTER_PROMETHEUS_HOST')?.trim(),
    path,
    authorization,
  });
}
