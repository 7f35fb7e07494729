import {
  type Attributes,
  diag,
  type HrTime,
  type MetricOptions,
  type SpanContext,
  ValueType,
} from '@opentelemetry/api';
import { hrTime, millisToHrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type CollectionResult,
  DataPointType,
  InstrumentType,
  type MetricData,
  type MetricDescriptor,
  type MetricProducer,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  canonicalKey,
  counterExemplars,
  type ExemplarSlots,
  histogramExemplars,
  type InstrumentExemplars,
  isExemplarContext,
  offerExemplar,
  SDK_DEFAULT_BOUNDARIES,
  upperBoundIndex,
} from './exemplars';
import { ExponentialBuckets } from './exponential-buckets';

/** The SDK's default cardinality limit per stream, the overflow series included. */
export const DEFAULT_CARDINALITY_LIMIT = 2000;

/** The attributes of the series that takes every measurement past the cardinality limit, as the SDK names it. */
const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });
const NO_ATTRIBUTES: Attributes = Object.freeze({});

/** Which histograms the store also aggregates exponentially (Prometheus native histograms), and how finely. */
export interface NativeHistogramStreams {
  /** Instrument name → the name of its exponential stream. */
  readonly streams: ReadonlyMap<string, string>;
  readonly maxBuckets: number;
}

/** One attribute set of one instrument: its cumulative aggregation and its exemplars. */
export interface StoredSeries {
  readonly attributes: Attributes;
  readonly startTime: HrTime;
  /** Of the finite measurements: a histogram's `+Inf` ones are counted in `infinities`. */
  sum: number;
  count: number;
  min: number;
  max: number;
  /**
   * A histogram's measurements of `+Inf`: the classic histogram counts them (its sum and max become
   * infinite), the exponential one ignores them, as the SDK's two aggregations do.
   */
  infinities: number;
  /** A histogram's classic bucket counts; empty for a counter. */
  readonly bucketCounts: number[];
  readonly exponential: ExponentialBuckets | undefined;
  /**
   * Claimed at the series' first measurement in a sampled span, so that series never sampled take no room
   * in the exemplar store; `null` when it was full then.
   */
  exemplars: ExemplarSlots | null | undefined;
}

/**
 * The series of one instrument, each resolved once per attribute set: the key of an attribute set as it
 * was recorded (keys in their order) finds it, and a frozen attribute object (which cannot change) finds it
 * by identity. Nothing is sorted or stringified per measurement beyond that key, unlike the SDK, which sorts
 * and stringifies the attributes once per view.
 */
abstract class StoredInstrument {
  private readonly byRecordedKey = new Map<string, StoredSeries>();
  private readonly byCanonicalKey = new Map<string, StoredSeries>();
  private lastFrozen: Attributes | undefined;
  private lastFrozenSeries: StoredSeries | undefined;
  private overflow: StoredSeries | undefined;

  constructor(
    readonly descriptor: MetricDescriptor,
    private readonly exemplars: InstrumentExemplars,
    private readonly cardinalityLimit: number,
  ) {}

  /** The series of `attributes`, made on first use; the overflow series past the cardinality limit. */
  seriesOf(attributes: Attributes = NO_ATTRIBUTES): StoredSeries {
    if (attributes === this.lastFrozen && this.lastFrozenSeries) return this.lastFrozenSeries;
    const recordedKey = JSON.stringify(attributes);
    let series = this.byRecordedKey.get(recordedKey);
    if (!series) {
      series = this.resolve(attributes);
      // Bounded like the series: the same attribute sets in other key orders add keys, not series.
      if (this.byRecordedKey.size < 4 * this.cardinalityLimit) this.byRecordedKey.set(recordedKey, series);
    }
    if (Object.isFrozen(attributes)) {
      this.lastFrozen = attributes;
      this.lastFrozenSeries = series;
    }
    return series;
  }

  /** The data of every series, cumulative since each began. */
  abstract collect(endTime: HrTime): MetricData[];

  /**
   * The value to record, as the SDK takes it, or `undefined` to drop it with the SDK's warning: a negative
   * value, a non-number, and NaN (which the SDK's histogram drops and its counter would add, leaving the sum
   * NaN for good). An integer instrument truncates, and drops what is still no integer (`Infinity`).
   */
  protected valueToRecord(value: number, noun: string): number | undefined {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      diag.warn(`non-number value provided to metric ${this.descriptor.name}: ${String(value)}`);
      return undefined;
    }
    if (value < 0) {
      diag.warn(`negative value provided to ${noun} ${this.descriptor.name}: ${value}`);
      return undefined;
    }
    if (this.descriptor.valueType !== ValueType.INT || Number.isInteger(value)) return value;
    diag.warn(
      `INT value type cannot accept a floating-point value for ${this.descriptor.name}, ignoring the fractional digits.`,
    );
    const truncated = Math.trunc(value);
    return Number.isInteger(truncated) ? truncated : undefined;
  }

  /** Keeps `value` as an exemplar of `series` in `bucket` when it was measured in a sampled span. */
  protected offerExemplar(
    series: StoredSeries,
    bucket: number,
    value: number,
    spanContext: SpanContext | undefined,
  ): void {
    if (!spanContext || !isExemplarContext(spanContext)) return;
    if (series.exemplars === undefined) series.exemplars = this.exemplars.slotsOf(series.attributes) ?? null;
    if (series.exemplars) offerExemplar(series.exemplars, bucket, value, spanContext);
  }

  protected abstract makeSeries(attributes: Attributes): StoredSeries;

  private resolve(attributes: Attributes): StoredSeries {
    const key = canonicalKey(attributes);
    let series = this.byCanonicalKey.get(key);
    if (series) return series;
    if (this.byCanonicalKey.size >= this.cardinalityLimit - 1) {
      this.overflow ??= this.makeSeries(OVERFLOW_ATTRIBUTES);
      return this.overflow;
    }
    series = this.makeSeries({ ...attributes });
    this.byCanonicalKey.set(key, series);
    return series;
  }

  protected seriesList(): StoredSeries[] {
    const list = [...this.byCanonicalKey.values()];
    if (this.overflow) list.push(this.overflow);
    return list;
  }
}

function newSeries(attributes: Attributes, bucketCount: number, exponential?: ExponentialBuckets): StoredSeries {
  return {
    attributes,
    startTime: millisToHrTime(Date.now()),
    sum: 0,
    count: 0,
    min: Infinity,
    max: -Infinity,
    infinities: 0,
    bucketCounts: new Array<number>(bucketCount).fill(0),
    exponential,
    exemplars: undefined,
  };
}

/** One cumulative stream of `series`, each data point's value from `valueOf`, as the SDK's aggregators shape it. */
function cumulativeStream(
  descriptor: MetricDescriptor,
  dataPointType: DataPointType,
  series: readonly StoredSeries[],
  endTime: HrTime,
  valueOf: (series: StoredSeries) => unknown,
): MetricData {
  return {
    descriptor,
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType,
    dataPoints: series.map((one) => ({
      attributes: one.attributes,
      startTime: one.startTime,
      endTime,
      value: valueOf(one),
    })),
  } as MetricData;
}

interface HistogramStatistics {
  min: number;
  max: number;
  sum: number;
  count: number;
}

/** The statistics of the exponential histogram: finite measurements only. */
function finiteStatistics({ min, max, sum, count }: StoredSeries): HistogramStatistics {
  return { min, max, sum, count };
}

/** The statistics of the classic histogram, which counts `+Inf` measurements too. */
function classicStatistics(series: StoredSeries): HistogramStatistics {
  if (series.infinities === 0) return finiteStatistics(series);
  return { min: series.min, max: Infinity, sum: Infinity, count: series.count + series.infinities };
}

/** A monotonic counter: the sum of what was added, per series. */
export class StoredCounter extends StoredInstrument {
  add(value: number, attributes: Attributes | undefined, spanContext: SpanContext | undefined): void {
    const accepted = this.valueToRecord(value, 'counter');
    if (accepted === undefined) return;
    const series = this.seriesOf(attributes);
    series.sum += accepted;
    this.offerExemplar(series, 0, accepted, spanContext);
  }

  collect(endTime: HrTime): MetricData[] {
    const sum = cumulativeStream(
      this.descriptor,
      DataPointType.SUM,
      this.seriesList(),
      endTime,
      (series) => series.sum,
    );
    return [{ ...sum, isMonotonic: true } as MetricData];
  }

  protected makeSeries(attributes: Attributes): StoredSeries {
    return newSeries(attributes, 0);
  }
}

/**
 * A histogram with explicit buckets, per series; with `nativeStream`, also a base-2 exponential one from the
 * same measurements, collected under that name for Prometheus' native histograms.
 */
export class StoredHistogram extends StoredInstrument {
  constructor(
    descriptor: MetricDescriptor,
    exemplars: InstrumentExemplars,
    cardinalityLimit: number,
    private readonly boundaries: readonly number[],
    private readonly native: { stream: string; maxBuckets: number } | undefined,
  ) {
    super(descriptor, exemplars, cardinalityLimit);
  }

  record(value: number, attributes: Attributes | undefined, spanContext: SpanContext | undefined): void {
    const accepted = this.valueToRecord(value, 'histogram');
    if (accepted !== undefined) this.recordIn(this.seriesOf(attributes), accepted, spanContext);
  }

  /** Records into a series the caller resolved (and may keep): the request path's own cache. */
  recordIn(series: StoredSeries, value: number, spanContext: SpanContext | undefined): void {
    const bucket = upperBoundIndex(this.boundaries, value);
    series.bucketCounts[bucket]++;
    if (value === Infinity) {
      series.infinities++;
    } else {
      series.count++;
      series.sum += value;
      if (value < series.min) series.min = value;
      if (value > series.max) series.max = value;
      series.exponential?.record(value);
    }
    this.offerExemplar(series, bucket, value, spanContext);
  }

  collect(endTime: HrTime): MetricData[] {
    const list = this.seriesList();
    const classic = cumulativeStream(this.descriptor, DataPointType.HISTOGRAM, list, endTime, (series) => ({
      ...classicStatistics(series),
      buckets: { boundaries: [...this.boundaries], counts: [...series.bucketCounts] },
    }));
    const { native } = this;
    if (!native) return [classic];
    const descriptor = { ...this.descriptor, name: native.stream };
    const exponential = cumulativeStream(descriptor, DataPointType.EXPONENTIAL_HISTOGRAM, list, endTime, (series) => ({
      ...finiteStatistics(series),
      ...(series.exponential ?? new ExponentialBuckets(native.maxBuckets)).value(),
    }));
    return [classic, exponential];
  }

  protected makeSeries(attributes: Attributes): StoredSeries {
    const exponential = this.native ? new ExponentialBuckets(this.native.maxBuckets) : undefined;
    return newSeries(attributes, this.boundaries.length + 1, exponential);
  }
}

/**
 * The aggregation of the instruments the library records on every request (the HTTP server duration,
 * `@Timed()`, `@Counted()`, `MeterService` counters and histograms), cumulative, with their exemplars and
 * native histograms in the same series. Every reader reads it through the SDK's `MetricProducer`
 * extension point, beside what the SDK aggregates: the Prometheus exposition, OTLP and the console alike.
 *
 * Used only where it gives what the SDK would: no view and no reader of the user's can reach these
 * instruments (`startTelemetry()` decides, see `ownsAggregation`), every reader is cumulative.
 */
export class MetricStore implements MetricProducer {
  private readonly instruments = new Map<string, { scope: string; instrument: StoredInstrument }>();

  constructor(
    private readonly native: NativeHistogramStreams,
    private readonly cardinalityLimit = DEFAULT_CARDINALITY_LIMIT,
  ) {}

  /** The counter `name` in `scope`, made on first use; its options are those of the first call. */
  counter(scope: string, name: string, options: MetricOptions = {}): StoredCounter {
    return this.instrument(scope, name, () => {
      return new StoredCounter(
        descriptorOf(name, InstrumentType.COUNTER, options),
        counterExemplars(scope, name),
        this.cardinalityLimit,
      );
    }) as StoredCounter;
  }

  /** The histogram `name` in `scope`, made on first use; its options (boundaries) are those of the first call. */
  histogram(scope: string, name: string, options: MetricOptions = {}): StoredHistogram {
    return this.instrument(scope, name, () => {
      const boundaries = normalizedBoundaries(options.advice?.explicitBucketBoundaries ?? SDK_DEFAULT_BOUNDARIES);
      const stream = this.native.streams.get(name);
      return new StoredHistogram(
        descriptorOf(name, InstrumentType.HISTOGRAM, options),
        histogramExemplars(scope, name, boundaries),
        this.cardinalityLimit,
        boundaries,
        stream === undefined ? undefined : { stream, maxBuckets: this.native.maxBuckets },
      );
    }) as StoredHistogram;
  }

  async collect(): Promise<CollectionResult> {
    const endTime = hrTime();
    const byScope = new Map<string, MetricData[]>();
    for (const { scope, instrument } of this.instruments.values()) {
      const data = instrument.collect(endTime).filter((metric) => metric.dataPoints.length > 0);
      if (data.length > 0) byScope.set(scope, [...(byScope.get(scope) ?? []), ...data]);
    }
    const scopeMetrics: ScopeMetrics[] = [...byScope].map(([name, metrics]) => ({ scope: { name }, metrics }));
    return { resourceMetrics: { resource: emptyResource(), scopeMetrics }, errors: [] };
  }

  private instrument(scope: string, name: string, create: () => StoredInstrument): StoredInstrument {
    const key = `${scope}\u0000${name}`;
    let entry = this.instruments.get(key);
    if (!entry) {
      entry = { scope, instrument: create() };
      this.instruments.set(key, entry);
    }
    return entry.instrument;
  }
}

/**
 * Bucket boundaries as the SDK's explicit-bucket aggregation takes advice: sorted, without `-Inf` and what
 * sorts below it, nor `+Inf` and what sorts above (the `+Inf` bucket is always there).
 */
function normalizedBoundaries(boundaries: readonly number[]): readonly number[] {
  const sorted = [...boundaries].sort((a, b) => a - b);
  const infinity = sorted.indexOf(Infinity);
  return sorted.slice(sorted.lastIndexOf(-Infinity) + 1, infinity === -1 ? undefined : infinity);
}

/** The descriptor as the SDK makes it, with its instrument type and advice beyond the public fields. */
function descriptorOf(name: string, type: InstrumentType, options: MetricOptions): MetricDescriptor {
  const descriptor = {
    name,
    type,
    description: options.description ?? '',
    unit: options.unit ?? '',
    valueType: options.valueType ?? ValueType.DOUBLE,
    advice: options.advice ?? {},
  };
  return descriptor;
}

let active: MetricStore | undefined;

/** The store of the telemetry started, when it aggregates the library's instruments; else the SDK does. */
export function activeMetricStore(): MetricStore | undefined {
  return active;
}

/** Set by `startTelemetry()`, cleared at its shutdown. */
export function setActiveMetricStore(store: MetricStore | undefined): void {
  active = store;
}
