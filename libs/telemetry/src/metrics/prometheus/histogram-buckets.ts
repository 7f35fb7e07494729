import type { ExponentialHistogram } from '@opentelemetry/sdk-metrics';
import type { Exemplar } from '../exemplars';
import type { HistogramPoint } from './metric-families';

/** A classic bucket as Prometheus writes it: an inclusive upper bound (`le`) and the count at or below it. */
export interface CumulativeBucket {
  readonly upperBound: number;
  readonly cumulativeCount: number;
  readonly exemplar?: Exemplar;
}

/** A native histogram's bucket layout, as the Prometheus protobuf format carries it. */
export interface NativeBuckets {
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly zeroCount: number;
  readonly positiveSpans: readonly BucketSpan[];
  readonly positiveDeltas: readonly number[];
  readonly negativeSpans: readonly BucketSpan[];
  readonly negativeDeltas: readonly number[];
}

export interface BucketSpan {
  readonly offset: number;
  readonly length: number;
}

/** The schemas Prometheus accepts for native histograms. */
const MIN_SCHEMA = -4;
const MAX_SCHEMA = 8;
/**
 * The specification's zero threshold when the OpenTelemetry data point has none (the JS SDK's zero bucket
 * holds exact zeros only): small enough to change nothing, and non-zero, which marks the histogram native.
 */
const DEFAULT_ZERO_THRESHOLD = 1e-128;

/**
 * A histogram's classic buckets, cumulative, ending with `+Inf`: its explicit buckets, else buckets at the
 * boundaries of its exponential ones. Each carries the newest exemplar whose value lies in it (above the
 * previous bound, at or below its own).
 */
export function cumulativeBuckets(histogram: HistogramPoint, exemplars: readonly Exemplar[]): CumulativeBucket[] {
  const bounds = histogram.classic
    ? explicitBuckets(histogram.classic.boundaries, histogram.classic.counts)
    : histogram.exponential
      ? exponentialAsClassic(histogram.exponential)
      : [[Infinity, histogram.count] as [number, number]];
  let cumulativeCount = 0;
  let lowerBound = -Infinity;
  return bounds.map(([upperBound, count]) => {
    cumulativeCount += count;
    const exemplar = exemplars.find(({ value }) => value > lowerBound && value <= upperBound);
    lowerBound = upperBound;
    return exemplar ? { upperBound, cumulativeCount, exemplar } : { upperBound, cumulativeCount };
  });
}

/** `[upper bound, count]` per bucket, `+Inf` last. */
function explicitBuckets(boundaries: readonly number[], counts: readonly number[]): Array<[number, number]> {
  const buckets = boundaries.map((bound, index): [number, number] => [bound, counts[index] ?? 0]);
  buckets.push([Infinity, counts[boundaries.length] ?? 0]);
  return buckets;
}

/**
 * An exponential histogram's buckets as classic ones, ascending: negative buckets (each bounded above by
 * `-base^index`), the zero bucket at `0`, positive buckets (`base^(index + 1)`), then `+Inf`. Counts are
 * exact: a positive OpenTelemetry bucket is `(base^i, base^(i+1)]`, inclusive above like `le`. (A negative
 * one is `[-base^(i+1), -base^i)`: a value exactly on a power of the base counts one bucket lower.)
 */
function exponentialAsClassic({ scale, zeroCount, positive, negative }: ExponentialHistogram): Array<[number, number]> {
  const buckets: Array<[number, number]> = [];
  let counted = 0;
  const add = (bound: number, count: number): void => {
    counted += count;
    const last = buckets[buckets.length - 1];
    // Bounds too close for a double to tell apart share a bucket; past the float range, +Inf takes them.
    if (last && !(bound > last[0])) last[1] += count;
    else if (Number.isFinite(bound)) buckets.push([bound, count]);
    else counted -= count;
  };
  for (let position = negative.bucketCounts.length - 1; position >= 0; position--) {
    add(-boundary(scale, negative.offset + position), negative.bucketCounts[position] ?? 0);
  }
  if (zeroCount > 0 || negative.bucketCounts.length > 0) add(0, zeroCount);
  positive.bucketCounts.forEach((count, position) => add(boundary(scale, positive.offset + position + 1), count));
  const total = zeroCount + sum(positive.bucketCounts) + sum(negative.bucketCounts);
  buckets.push([Infinity, total - counted]);
  return buckets;
}

/** `base^index` at `scale`, where `base = 2^(2^-scale)`. */
function boundary(scale: number, index: number): number {
  return Math.pow(2, index / Math.pow(2, scale));
}

function sum(counts: readonly number[]): number {
  return counts.reduce((total, count) => total + count, 0);
}

/**
 * An exponential histogram as a Prometheus native one, by the specification's mapping: the scale is the
 * schema, lowered to 8 by merging buckets when finer; `undefined` below -4 (the data point must then be
 * dropped). The OpenTelemetry bucket at index `i` (lower bound `base^i`) is the Prometheus bucket `i + 1`
 * (upper bound `base^(i+1)`); non-empty buckets are written as spans and deltas.
 */
export function nativeBuckets({
  scale,
  zeroCount,
  positive,
  negative,
}: ExponentialHistogram): NativeBuckets | undefined {
  if (scale < MIN_SCHEMA) return undefined;
  const schema = Math.min(scale, MAX_SCHEMA);
  const positiveBuckets = sparseBuckets(positive.offset, positive.bucketCounts, scale - schema);
  const negativeBuckets = sparseBuckets(negative.offset, negative.bucketCounts, scale - schema);
  return {
    schema,
    zeroThreshold: DEFAULT_ZERO_THRESHOLD,
    zeroCount,
    positiveSpans: positiveBuckets.spans,
    positiveDeltas: positiveBuckets.deltas,
    negativeSpans: negativeBuckets.spans,
    negativeDeltas: negativeBuckets.deltas,
  };
}

function sparseBuckets(
  offset: number,
  counts: readonly number[],
  downscale: number,
): { spans: BucketSpan[]; deltas: number[] } {
  const spans: Array<{ offset: number; length: number }> = [];
  let span: { offset: number; length: number } | undefined;
  const deltas: number[] = [];
  const factor = Math.pow(2, downscale);
  let previousIndex: number | undefined;
  let previousCount = 0;
  let pending: { index: number; count: number } | undefined;
  const flush = (): void => {
    if (!pending) return;
    const index = pending.index + 1;
    const gap = previousIndex === undefined ? index : index - previousIndex - 1;
    if (!span || gap > 0) {
      span = { offset: gap, length: 1 };
      spans.push(span);
    } else span.length++;
    deltas.push(pending.count - previousCount);
    previousIndex = index;
    previousCount = pending.count;
    pending = undefined;
  };
  counts.forEach((count, position) => {
    if (count === 0) return;
    const index = Math.floor((offset + position) / factor);
    if (pending && pending.index === index) pending.count += count;
    else {
      flush();
      pending = { index, count };
    }
  });
  flush();
  return { spans, deltas };
}
