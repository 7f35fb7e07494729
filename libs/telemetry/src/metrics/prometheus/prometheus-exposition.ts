import { diag } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { exemplarSeries } from '../exemplars';
import { acceptsOpenMetrics, OPENMETRICS_CONTENT_TYPE, toOpenMetrics } from './openmetrics';
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

  /** The Prometheus text format (0.0.4). */
  async render(): Promise<string> {
    const { resourceMetrics, errors } = await this.reader.collect();
    if (errors.length > 0) diag.warn(`Some metrics could not be collected: ${errors.map(String).join('; ')}`);
    return this.serializer.serialize(withUnitSuffixes(resourceMetrics));
  }

  /**
   * The format the scraper's `Accept` header asks for: OpenMetrics with exemplars (trace ids) when it
   * accepts it, as Prometheus does, else the Prometheus text format.
   */
  async renderFor(accept: string | undefined): Promise<{ body: string; contentType: string }> {
    const text = await this.render();
    return acceptsOpenMetrics(accept)
      ? { body: toOpenMetrics(text, exemplarSeries()), contentType: OPENMETRICS_CONTENT_TYPE }
      : { body: text, contentType: PROMETHEUS_CONTENT_TYPE };
  }
}

function withUnitSuffixes(resourceMetrics: ResourceMetrics): ResourceMetrics {
  return {
    ...resourceMetrics,
    scopeMetrics: resourceMetrics.scopeMetrics.map((scope) => ({
      ...scope,
      metrics: scope.metrics.map(withUnitSuffix),
    })),
  };
}
