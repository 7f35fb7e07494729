/**
 * The base-2 exponential histogram of one series, as the OpenTelemetry data model defines it and as the
 * SDK's `ExponentialHistogramAccumulation` (`@opentelemetry/sdk-metrics`) computes it: the same mappings from
 * a value to a bucket index, the same start at scale 20 and the same downscaling when the indices in use
 * no longer fit in `maxSize` buckets. The SDK does not export that class, hence this port of it; histograms
 * take no negative values (the API drops them), so only positive buckets and the zero count are kept.
 */

/** The finest scale: the SDK's `MAX_SCALE`, where every series starts. */
const MAX_SCALE = 20;
const MIN_SCALE = -10;

const EXPONENT_BIAS = 1023;
const MIN_NORMAL_EXPONENT = -1022;
const MAX_NORMAL_EXPONENT = EXPONENT_BIAS;
/** The smallest normal double: smaller values share the lowest bucket. */
const MIN_VALUE = 2 ** MIN_NORMAL_EXPONENT;

/** `log2(e) * 2^scale` per positive scale: the SDK's `LogarithmMapping` scale factor. */
const LOG2E_SCALED = Array.from({ length: MAX_SCALE + 1 }, (_, scale) => Math.LOG2E * 2 ** scale);

const bits = new DataView(new ArrayBuffer(8));

/** The unbiased base-2 exponent of a normal double. */
function base2Exponent(value: number): number {
  bits.setFloat64(0, value);
  return ((bits.getUint32(0) & 0x7ff00000) >> 20) - EXPONENT_BIAS;
}

function isPowerOfTwo(value: number): boolean {
  bits.setFloat64(0, value);
  return (bits.getUint32(0) & 0x000fffff) === 0 && bits.getUint32(4) === 0;
}

/** The bucket index of a positive value at `scale`: bucket `i` holds (base^i, base^(i+1)], base = 2^(2^-scale). */
export function bucketIndex(value: number, scale: number): number {
  return scale > 0 ? logarithmIndex(value, scale) : exponentIndex(value, scale);
}

/** Scales above zero: from the natural logarithm, exact at powers of two. */
function logarithmIndex(value: number, scale: number): number {
  if (value <= MIN_VALUE) return (MIN_NORMAL_EXPONENT << scale) - 1;
  if (isPowerOfTwo(value)) return (base2Exponent(value) << scale) - 1;
  const index = Math.floor(Math.log(value) * (LOG2E_SCALED[scale] ?? Math.LOG2E * 2 ** scale));
  const maxIndex = ((MAX_NORMAL_EXPONENT + 1) << scale) - 1;
  return index >= maxIndex ? maxIndex : index;
}

/** Scales zero and below: from the double's exponent bits alone. */
function exponentIndex(value: number, scale: number): number {
  const shift = -scale;
  if (value < MIN_VALUE) return (MIN_NORMAL_EXPONENT >> shift) - (shift < 2 ? 1 : 0);
  return (base2Exponent(value) + (isPowerOfTwo(value) ? -1 : 0)) >> shift;
}

/** What an exponential histogram data point carries of its buckets (the SDK's `ExponentialHistogram`). */
export interface ExponentialBucketsValue {
  scale: number;
  zeroCount: number;
  positive: { offset: number; bucketCounts: number[] };
  negative: { offset: number; bucketCounts: number[] };
}

/** The positive buckets and the zero count of one series, at the finest scale that fits them in `maxSize`. */
export class ExponentialBuckets {
  private scale = MAX_SCALE;
  private zeroCount = 0;
  /** The index of `counts[0]`. */
  private offset = 0;
  private counts: number[] = [];

  constructor(private readonly maxSize: number) {}

  /** Counts a finite, non-negative value (others are ignored, as the SDK does). */
  record(value: number): void {
    if (!Number.isFinite(value) || value < 0) return;
    if (value === 0) {
      this.zeroCount++;
      return;
    }
    let index = bucketIndex(value, this.scale);
    if (this.counts.length === 0) {
      this.offset = index;
      this.counts.push(1);
      return;
    }
    const low = Math.min(index, this.offset);
    const high = Math.max(index, this.offset + this.counts.length - 1);
    if (high - low >= this.maxSize) {
      this.downscale(scaleChange(high, low, this.maxSize));
      index = bucketIndex(value, this.scale);
    }
    this.increment(index);
  }

  value(): ExponentialBucketsValue {
    return {
      // The SDK reports scale 0 while only zeros were recorded.
      scale: this.counts.length === 0 ? 0 : this.scale,
      zeroCount: this.zeroCount,
      positive: { offset: this.offset, bucketCounts: [...this.counts] },
      negative: { offset: 0, bucketCounts: [] },
    };
  }

  private increment(index: number): void {
    if (index < this.offset) {
      this.counts.unshift(...new Array<number>(this.offset - index).fill(0));
      this.offset = index;
    }
    const position = index - this.offset;
    while (this.counts.length <= position) this.counts.push(0);
    this.counts[position] = (this.counts[position] ?? 0) + 1;
  }

  /** Merges each `2^change` neighbouring buckets into one, `change` scales coarser. */
  private downscale(change: number): void {
    const merged: number[] = [];
    const offset = this.offset >> change;
    this.counts.forEach((count, position) => {
      const target = ((this.offset + position) >> change) - offset;
      merged[target] = (merged[target] ?? 0) + count;
    });
    this.counts = Array.from(merged, (count) => count ?? 0);
    this.offset = offset;
    this.scale = Math.max(MIN_SCALE, this.scale - change);
  }
}

/** How many scales coarser the range [low, high] must go to fit in `maxSize` buckets. */
function scaleChange(high: number, low: number, maxSize: number): number {
  let change = 0;
  while (high - low >= maxSize) {
    high >>= 1;
    low >>= 1;
    change++;
  }
  return change;
}
