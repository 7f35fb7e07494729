/** What the sink received for one endpoint path prefix (one app variant). */
export interface SinkStats {
  requests: number;
  bytes: number;
  spans: number;
}

/** Stats keyed by the first path segment of the export URL: `/full-protobuf/v1/traces` → `full-protobuf`. */
export type SinkStatsByVariant = Record<string, SinkStats>;
