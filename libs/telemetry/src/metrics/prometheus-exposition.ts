import { diag } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { withUnitSuffix } from './prometheus-units';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * The Prometheus text exposition of everything the SDK has measured, rendered on demand for a scrape.
 *
 * It reads through `@opentelemetry/exporter-prometheus` (a pull reader; its own server is never
 * started) and serializes with its serializer, after giving every metric the unit suffix Prometheus
 * conventions ask for (`http_server_request_duration_seconds`), which that exporter version omits.
 * One piece of code for `/metrics` on the app's port and on a port of its own.
 */
export class PrometheusExposition {
  readonly reader = new PrometheusExporter({ preventServerStart: true });
  private readonly serializer = new PrometheusSerializer();

  async render(): Promise<string> {
    const { resourceMetrics, errors } = await this.reader.collect();
    if (errors.length > 0) diag.warn(`Some metrics could not be collected: ${errors.map(String).join('; ')}`);
    return this.serializer.serialize(withUnitSuffixes(resourceMetrics));
  }
}

function withUnitSuffixes(resourceMetrics: ResourceMetrics): ResourceMetrics {
  return {
    ...resourceMetrics,
    scopeMetrics: resourceMetrics.scopeMetrics.map((scope) => ({ ...scope, metrics: scope.metrics.map(withUnitSuffix) })),
  };
}
