import { type Attributes, INVALID_SPANID, INVALID_TRACEID, type SpanContext, TraceFlags } from '@opentelemetry/api';

/** A measurement tied to the sampled span it was made in, as OpenMetrics exemplars show it. */
export interface Exemplar {
  traceId: string;
  spanId: string;
  value: number;
  /** Seconds since the epoch. */
  timestamp: number;
}

/**
 * Most series (scope, instrument, attribute set) that keep exemplars, all instruments together: past it, new
 * series get none (existing ones keep being updated). A series holds at most one exemplar per bucket (15 for
 * the duration buckets), so the store stays within a few megabytes whatever the traffic.
 */
export const MAX_EXEMPLAR_SERIES = 2000;

/**
 * The boundaries the SDK gives a histogram without advice or view (the specification's default), so that
 * exemplars fall in the same buckets as the counts.
 */
export const SDK_DEFAULT_BOUNDARIES: readonly number[] = [
  0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
];

/** The exemplars of one series: the latest per classic bucket of a histogram, one slot for a counter. */
export type ExemplarSlots = Array<Exemplar | undefined>;

/**
 * Keeps `value` in `slots[bucket]` when it was measured in a sampled span (see `isExemplarContext`); does
 * nothing (and allocates nothing) otherwise.
 */
export function offerExemplar(
  slots: ExemplarSlots,
  bucket: number,
  value: number,
  spanContext: SpanContext | undefined,
): void {
  if (!spanContext || !isExemplarContext(spanContext)) return;
  slots[bucket] = { traceId: spanContext.traceId, spanId: spanContext.spanId, value, timestamp: Date.now() / 1000 };
}

/**
 * Whether a measurement made in `spanContext` may be an exemplar: a sampled span with valid ids. A sampled
 * span context made by the SDK, or continued through a propagator, has valid ids: only the invalid (all-zero)
 * ids of a non-recording span need ruling out, not a hex check per call.
 */
export function isExemplarContext(spanContext: SpanContext): boolean {
  return (
    (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0 &&
    spanContext.traceId !== INVALID_TRACEID &&
    spanContext.spanId !== INVALID_SPANID
  );
}

/**
 * The exemplars of one instrument, offered on each measurement. The OpenTelemetry JS SDK has exemplar
 * reservoirs but does not wire them to its aggregations (and exports none of them): this store fills that gap,
 * for the library's own instruments (`MeterService`, `@Counted()`, `@Timed()`, the HTTP server duration).
 */
export class InstrumentExemplars {
  /** By the attribute set in the order it was recorded in: a cheap key on the request path. */
  private readonly byRecordedKey = new Map<string, ExemplarSlots>();
  /** By the attribute set in key order: how the exposition finds a series from the SDK's attributes. */
  private readonly byCanonicalKey = new Map<string, ExemplarSlots>();
  /** The last attribute object and its series: callers that pass the same object each time skip the key. */
  private lastAttributes: Attributes | undefined;
  private lastSlots: ExemplarSlots | undefined;

  constructor(
    private readonly store: ExemplarStore,
    /** Classic bucket upper bounds (`le`), ascending; none for a counter (one slot). */
    private readonly boundaries: readonly number[] = [],
  ) {}

  /**
   * Keeps `value` as its series' latest exemplar in its bucket when it was measured in a sampled span;
   * does nothing (and allocates nothing) otherwise.
   */
  offer(value: number, attributes: Attributes | undefined, spanContext: SpanContext | undefined): void {
    if (!spanContext || !(spanContext.traceFlags & TraceFlags.SAMPLED)) return;
    const slots = this.recordedSlotsOf(attributes ?? NO_ATTRIBUTES);
    if (slots) offerExemplar(slots, upperBoundIndex(this.boundaries, value), value, spanContext);
  }

  /**
   * The slots of the series with these attributes, made on first use if the store has room: for an
   * aggregation that resolves each of its series once (the metric store) and offers to it directly.
   */
  slotsOf(attributes: Attributes, key = canonicalKey(attributes)): ExemplarSlots | undefined {
    let slots = this.byCanonicalKey.get(key);
    if (!slots) {
      if (!this.store.claimSeries()) return undefined;
      slots = new Array<Exemplar | undefined>(this.boundaries.length + 1);
      this.byCanonicalKey.set(key, slots);
    }
    return slots;
  }

  /** The exemplars of the series with these attributes, newest first. */
  exemplarsOf(attributes: Attributes): readonly Exemplar[] {
    const slots = this.byCanonicalKey.get(canonicalKey(attributes));
    if (!slots) return NO_EXEMPLARS;
    return slots
      .filter((exemplar): exemplar is Exemplar => exemplar !== undefined)
      .sort((a, b) => b.timestamp - a.timestamp);
  }

  /**
   * The slots of an attribute set as recorded (keys in any order). An attribute object changed after a
   * measurement may keep its first series: its exemplars may then sit on another series, never a failure.
   */
  private recordedSlotsOf(attributes: Attributes): ExemplarSlots | undefined {
    if (attributes === this.lastAttributes) return this.lastSlots;
    const recordedKey = JSON.stringify(attributes);
    let slots = this.byRecordedKey.get(recordedKey);
    if (!slots) {
      slots = this.slotsOf(attributes);
      if (!slots) return undefined;
      this.byRecordedKey.set(recordedKey, slots);
    }
    this.lastAttributes = attributes;
    this.lastSlots = slots;
    return slots;
  }
}

/**
 * The classic bucket of `value` among ascending upper bounds: the first bound (inclusive) that holds it,
 * else `bounds.length` (`+Inf`), found as the SDK's histogram finds it.
 */
export function upperBoundIndex(bounds: readonly number[], value: number): number {
  let low = 0;
  let high = bounds.length - 1;
  let found = bounds.length;
  while (high >= low) {
    const middle = low + ((high - low) >> 1);
    if ((bounds[middle] ?? Infinity) < value) low = middle + 1;
    else {
      found = middle;
      high = middle - 1;
    }
  }
  return found;
}

/** Every instrument's exemplars, within a bound on the number of series. */
export class ExemplarStore {
  private readonly instruments = new Map<string, InstrumentExemplars>();
  private seriesCount = 0;

  constructor(private readonly maxSeries = MAX_EXEMPLAR_SERIES) {}

  /**
   * The exemplars of an instrument (`name` as the SDK collects it), made on first use; the boundaries of a
   * histogram are those of its first caller. A counter passes none.
   */
  instrument(scope: string, name: string, boundaries?: readonly number[]): InstrumentExemplars {
    const key = `${scope}\u0000${name}`;
    let instrument = this.instruments.get(key);
    if (!instrument) {
      instrument = new InstrumentExemplars(this, boundaries);
      this.instruments.set(key, instrument);
    }
    return instrument;
  }

  exemplarsOf(scope: string, instrument: string, attributes: Attributes): readonly Exemplar[] {
    return this.instruments.get(`${scope}\u0000${instrument}`)?.exemplarsOf(attributes) ?? NO_EXEMPLARS;
  }

  /** Whether one more series fits; counts it if so. */
  claimSeries(): boolean {
    if (this.seriesCount >= this.maxSeries) return false;
    this.seriesCount++;
    return true;
  }
}

const NO_ATTRIBUTES: Attributes = Object.freeze({});
const NO_EXEMPLARS: readonly Exemplar[] = Object.freeze([]);

/** An attribute set's key whatever the order of its keys; computed once per series, and per scrape. */
export function canonicalKey(attributes: Attributes): string {
  return JSON.stringify(
    Object.keys(attributes)
      .sort()
      .map((key) => [key, attributes[key]]),
  );
}

const store = new ExemplarStore();

/** The exemplars of a histogram (its classic bucket boundaries, the SDK's default if none) or of a counter. */
export function histogramExemplars(scope: string, name: string, boundaries?: readonly number[]): InstrumentExemplars {
  return store.instrument(scope, name, boundaries ?? SDK_DEFAULT_BOUNDARIES);
}

export function counterExemplars(scope: string, name: string): InstrumentExemplars {
  return store.instrument(scope, name);
}

/**
 * What the exposition asks the store: the recent exemplars of one series, newest first, at most one per
 * classic bucket of a histogram (one for a counter). `instrument` is the stream name as collected
 * (`MetricData.descriptor.name`, the OpenTelemetry name, not the Prometheus one); `scope` is the
 * instrumentation scope's name.
 */
export function exemplarsOf(scope: string, instrument: string, attributes: Attributes): readonly Exemplar[] {
  return store.exemplarsOf(scope, instrument, attributes);
}
