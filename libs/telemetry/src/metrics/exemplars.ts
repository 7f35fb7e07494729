import { type Attributes, isSpanContextValid, trace, TraceFlags } from '@opentelemetry/api';

/** A measurement tied to the sampled span it was made in, as OpenMetrics exemplars show it. */
export interface Exemplar {
  traceId: string;
  spanId: string;
  value: number;
  /** Seconds since the epoch. */
  timestamp: number;
}

/** One series of one instrument: where an exemplar belongs on `/metrics`. */
export interface ExemplarSeries {
  scope: string;
  /** The Prometheus family name, unit suffix included (`method_duration_seconds`, `healthz_count`). */
  family: string;
  kind: 'counter' | 'histogram';
  attributes: Attributes;
  exemplar: Exemplar;
}

/**
 * The latest exemplar of each series recorded through the library's instruments (`MeterService`,
 * `@Counted()`, `@Timed()`): one per series, so memory is bounded by the series count, which the
 * SDK itself bounds. The SDK of this OpenTelemetry line records no exemplars; this fills the gap.
 */
const latest = new Map<string, ExemplarSeries>();
const NO_ATTRIBUTES: Attributes = Object.freeze({});
/** Past this many series, new ones get no exemplar (existing ones keep being updated). */
const MAX_SERIES = 10_000;

export function recordExemplar(
  scope: string,
  family: string,
  kind: ExemplarSeries['kind'],
  value: number,
  attributes: Attributes = NO_ATTRIBUTES,
): void {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext) || !(spanContext.traceFlags & TraceFlags.SAMPLED)) return;
  const key = `${scope}\u0000${family}\u0000${attributesKey(attributes)}`;
  if (latest.size >= MAX_SERIES && !latest.has(key)) return;
  latest.set(key, {
    scope,
    family,
    kind,
    attributes,
    exemplar: { traceId: spanContext.traceId, spanId: spanContext.spanId, value, timestamp: Date.now() / 1000 },
  });
}

export function exemplarSeries(): Iterable<ExemplarSeries> {
  return latest.values();
}

/**
 * A series key for an attribute set, whatever the order of its keys. Cached per object: decorators and
 * most callers pass the same attributes object on every call, and this runs on the request path. (An
 * object changed after its first use keeps its first key: its exemplar may then sit on the wrong series,
 * never a failure.)
 */
const keys = new WeakMap<Attributes, string>();
function attributesKey(attributes: Attributes): string {
  let key = keys.get(attributes);
  if (key === undefined) {
    key = JSON.stringify(Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b)));
    keys.set(attributes, key);
  }
  return key;
}

/**
 * CONTRACT between the exposition (issue 11, formats) and the exemplar store (issue 11, exemplars), both in
 * progress: the recent exemplars of one series, newest first, at most one per classic bucket of a histogram
 * (one for a counter). `instrument` is the stream name as collected (`MetricData.descriptor.name`, the
 * OpenTelemetry name, not the Prometheus one); `scope` is the instrumentation scope's name. Provisional body.
 */
export function exemplarsOf(_scope: string, _instrument: string, _attributes: Attributes): readonly Exemplar[] {
  return [];
}
