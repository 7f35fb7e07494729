import { type Attributes, isSpanContextValid, type SpanContext, TraceFlags } from '@opentelemetry/api';

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
const SDK_DEFAULT_BOUNDARIES: readonly number[] = [
  0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
];

/** The exemplars of one series: the latest per classic bucket of a histogram, one slot for a counter. */
interface Series {
  readonly slots: Array<Exemplar | undefined>;
}

/**
 * The exemplars of one instrument, offered on each measurement. The OpenTelemetry JS SDK has exemplar
 * reservoirs but does not wire them to its aggregations (and exports none of them): this store fills that gap,
 * for the library's own instruments (`MeterService`, `@Counted()`, `@Timed()`, the HTTP server duration).
 */
export class InstrumentExemplars {
  /** By the attribute set in the order it was recorded in: a cheap key on the request path. */
  private readonly byRecordedKey = new Map<string, Series>();
  /** By the attribute set in key order: how the exposition finds a series from the SDK's attributes. */
  private readonly byCanonicalKey = new Map<string, Series>();
  /** The last attribute object and its series: callers that pass the same object each time skip the key. */
  private lastAttributes: Attributes | undefined;
  private lastSeries: Series | undefined;

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
    if (!spanContext || !(spanContext.traceFlags & TraceFlags.SAMPLED) || !isSpanContextValid(spanContext)) return;
    const series = this.seriesOf(attributes ?? NO_ATTRIBUTES);
    if (!series) return;
    series.slots[this.bucketOf(value)] = {
      traceId: spanContext.traceId,
      spanId: spanContext.spanId,
      value,
      timestamp: Date.now() / 1000,
    };
  }

  /** The exemplars of the series with these attributes, newest first. */
  exemplarsOf(attributes: Attributes): readonly Exemplar[] {
    const series = this.byCanonicalKey.get(canonicalKey(attributes));
    if (!series) return NO_EXEMPLARS;
    return series.slots
      .filter((exemplar): exemplar is Exemplar => exemplar !== undefined)
      .sort((a, b) => b.timestamp - a.timestamp);
  }

  /**
   * The series of an attribute set, made on first use if the store has room. (An attribute object changed
   * after a measurement may keep its first series: its exemplars may then sit on another series, never a
   * failure.)
   */
  private seriesOf(attributes: Attributes): Series | undefined {
    if (attributes === this.lastAttributes) return this.lastSeries;
    const recordedKey = JSON.stringify(attributes);
    let series = this.byRecordedKey.get(recordedKey);
    if (!series) {
      const key = canonicalKey(attributes);
      series = this.byCanonicalKey.get(key);
      if (!series) {
        if (!this.store.claimSeries()) return undefined;
        series = { slots: new Array<Exemplar | undefined>(this.boundaries.length + 1) };
        this.byCanonicalKey.set(key, series);
      }
      this.byRecordedKey.set(recordedKey, series);
    }
    this.lastAttributes = attributes;
    this.lastSeries = series;
    return series;
  }

  /** The classic bucket of `value`: the first whose upper bound (inclusive) holds it, else `+Inf`. */
  private bucketOf(value: number): number {
    const { boundaries } = this;
    let index = 0;
    while (index < boundaries.length && value > (boundaries[index] ?? Infinity)) index++;
    return index;
  }
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
function canonicalKey(attributes: Attributes): string {
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
