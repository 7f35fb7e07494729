/** A serializer of one exposition format, timed on the collection all of them render. */
export interface FormatRenderResult {
  id: 'exporter-prometheus' | 'text' | 'openmetrics' | 'protobuf';
  label: string;
  /** From the SDK's collection to the body: the walk and the writing (median). */
  serializeMs: number;
  bodyBytes: number;
}

/** `/metrics` rendered by the library's exposition with `series` counter series (medians). */
export interface MetricsRenderResult {
  series: number;
  repetitions: number;
  /** The exposition's reader collecting: the SDK gathering the data points. */
  collectMs: number;
  /** The library's text format 0.0.4 (what `/metrics` answers without an `Accept` header). */
  serializeMs: number;
  /** A GET to the library's `/metrics` server over loopback HTTP, text format: what one scrape costs end to end. */
  scrapeMs: number;
  bodyBytes: number;
  bodyLines: number;
  /** Each format side by side, with `@opentelemetry/exporter-prometheus`'s serializer on the same data. */
  formats: FormatRenderResult[];
}

export interface MetricsRenderSettings {
  series: number;
  repetitions: number;
}
