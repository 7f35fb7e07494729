/** One case of the `@Span()` micro-benchmark. */
export interface SpanCostCase {
  id: string;
  label: string;
  /** Median elapsed nanoseconds per call. */
  nsPerCall: number;
  /** `nsPerCall` minus the plain method's. */
  overheadNs: number;
  /** Calls made, warm-up included. */
  calls: number;
  /** Spans that reached the exporter, for the case that has one: equal to `calls` when none were dropped. */
  spansExported: number | null;
}

export interface SpanCostSettings {
  iterations: number;
  samples: number;
}
