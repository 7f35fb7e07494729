/** `/metrics` rendered by @opentelemetry/exporter-prometheus with `series` counter series (medians). */
export interface MetricsRenderResult {
  series: number;
  repetitions: number;
  /** `PrometheusExporter.collect()`: the SDK gathering the data points. */
  collectMs: number;
  /** `PrometheusSerializer.serialize()`: the text format. */
  serializeMs: number;
  /** A GET to the exporter's request handler over loopback HTTP: what one scrape costs end to end. */
  scrapeMs: number;
  bodyBytes: number;
  bodyLines: number;
}

export interface MetricsRenderSettings {
  series: number;
  repetitions: number;
}
