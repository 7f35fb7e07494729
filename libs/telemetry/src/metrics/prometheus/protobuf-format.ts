import { Writer } from 'protobufjs/minimal';
import type { Exemplar } from '../exemplars';
import { type BucketSpan, cumulativeBuckets, nativeBuckets, type NativeBuckets } from './histogram-buckets';
import type { HistogramPoint, Label, MetricFamily, MetricPoint } from './metric-families';

/**
 * Field tags of prometheus/client_model's `io/prometheus/client/metrics.proto` (proto2): field number << 3
 * | wire type (0 varint, 1 64-bit, 2 length-delimited). Repeated scalars are written unpacked, as proto2
 * declares them.
 */
const TAG = {
  family: { name: 10, help: 18, type: 24, metric: 34, unit: 42 },
  metric: { label: 10, gauge: 18, counter: 26, histogram: 58 },
  label: { name: 10, value: 18 },
  gauge: { value: 9 },
  counter: { value: 9, exemplar: 18 },
  histogram: {
    sampleCount: 8,
    sampleSum: 17,
    bucket: 26,
    schema: 40,
    zeroThreshold: 49,
    zeroCount: 56,
    negativeSpan: 74,
    negativeDelta: 80,
    positiveSpan: 98,
    positiveDelta: 104,
    exemplars: 130,
  },
  bucket: { cumulativeCount: 8, upperBound: 17, exemplar: 26 },
  span: { offset: 8, length: 16 },
  exemplar: { label: 10, value: 17, timestamp: 26 },
  timestamp: { seconds: 8, nanos: 16 },
} as const;

/** `MetricType` of metrics.proto. */
const METRIC_TYPE = { counter: 0, gauge: 1, histogram: 4, info: 1 } as const;

/**
 * The Prometheus protobuf format: varint-length-delimited `MetricFamily` messages. Counters are named with
 * `_total` and `target` is the gauge `target_info`, as in the text format; a histogram carries its classic
 * buckets and, when it has an exponential stream, its native buckets (`schema`, spans and deltas) and
 * exemplars; counters and buckets carry exemplars.
 */
export function writeProtobuf(families: readonly MetricFamily[]): Uint8Array {
  const writer = Writer.create();
  for (const family of families) {
    writer.fork();
    writeFamily(writer, family);
    writer.ldelim();
  }
  return writer.finish();
}

function writeFamily(writer: Writer, family: MetricFamily): void {
  const name =
    family.type === 'counter' ? `${family.name}_total` : family.type === 'info' ? `${family.name}_info` : family.name;
  writer.uint32(TAG.family.name).string(name);
  writer.uint32(TAG.family.help).string(family.help);
  writer.uint32(TAG.family.type).int32(METRIC_TYPE[family.type]);
  if (family.unit) writer.uint32(TAG.family.unit).string(family.unit);
  for (const point of family.points) {
    const native = nativeOf(point.histogram);
    // A native-only histogram that cannot be written (no sum, or too coarse a scale) is dropped, as the specification says.
    if (point.histogram && !point.histogram.classic && !native) continue;
    writer.uint32(TAG.family.metric).fork();
    writeMetric(writer, family, point, native);
    writer.ldelim();
  }
}

function nativeOf(histogram: HistogramPoint | undefined): NativeBuckets | undefined {
  return histogram?.exponential && histogram.sum !== undefined ? nativeBuckets(histogram.exponential) : undefined;
}

function writeMetric(
  writer: Writer,
  family: MetricFamily,
  point: MetricPoint,
  native: NativeBuckets | undefined,
): void {
  writeLabels(writer, TAG.metric.label, point.labels);
  if (point.histogram) {
    writer.uint32(TAG.metric.histogram).fork();
    writeHistogram(writer, point.histogram, native);
    writer.ldelim();
  } else if (family.type === 'counter') {
    writer.uint32(TAG.metric.counter).fork();
    writer.uint32(TAG.counter.value).double(point.value);
    if (point.exemplar) writeExemplar(writer.uint32(TAG.counter.exemplar), point.exemplar);
    writer.ldelim();
  } else {
    writer.uint32(TAG.metric.gauge).fork().uint32(TAG.gauge.value).double(point.value).ldelim();
  }
}

function writeHistogram(writer: Writer, histogram: HistogramPoint, native: NativeBuckets | undefined): void {
  writer.uint32(TAG.histogram.sampleCount).uint64(histogram.count);
  if (histogram.sum !== undefined) writer.uint32(TAG.histogram.sampleSum).double(histogram.sum);
  if (histogram.classic) {
    for (const bucket of cumulativeBuckets(histogram, histogram.exemplars)) {
      writer.uint32(TAG.histogram.bucket).fork();
      writer.uint32(TAG.bucket.cumulativeCount).uint64(bucket.cumulativeCount);
      writer.uint32(TAG.bucket.upperBound).double(bucket.upperBound);
      if (bucket.exemplar) writeExemplar(writer.uint32(TAG.bucket.exemplar), bucket.exemplar);
      writer.ldelim();
    }
  }
  if (!native) return;
  writer.uint32(TAG.histogram.schema).sint32(native.schema);
  writer.uint32(TAG.histogram.zeroThreshold).double(native.zeroThreshold);
  writer.uint32(TAG.histogram.zeroCount).uint64(native.zeroCount);
  writeSpans(writer, TAG.histogram.negativeSpan, native.negativeSpans);
  for (const delta of native.negativeDeltas) writer.uint32(TAG.histogram.negativeDelta).sint64(delta);
  writeSpans(writer, TAG.histogram.positiveSpan, native.positiveSpans);
  for (const delta of native.positiveDeltas) writer.uint32(TAG.histogram.positiveDelta).sint64(delta);
  for (const exemplar of histogram.exemplars) writeExemplar(writer.uint32(TAG.histogram.exemplars), exemplar);
}

function writeSpans(writer: Writer, tag: number, spans: readonly BucketSpan[]): void {
  for (const { offset, length } of spans) {
    writer.uint32(tag).fork().uint32(TAG.span.offset).sint32(offset).uint32(TAG.span.length).uint32(length).ldelim();
  }
}

function writeLabels(writer: Writer, tag: number, labels: readonly Label[]): void {
  for (const body of labelPairBodies(labels)) writer.uint32(tag).bytes(body);
}

/**
 * The encoded `LabelPair`s of a label set, kept as long as the set is: the walk hands the same label array
 * for a series at every scrape, so each label is encoded once, not once per scrape.
 */
const encodedLabels = new WeakMap<readonly Label[], readonly Uint8Array[]>();

function labelPairBodies(labels: readonly Label[]): readonly Uint8Array[] {
  let bodies = encodedLabels.get(labels);
  if (!bodies) {
    bodies = labels.map(([name, value]) => writeLabelPairBody(Writer.create(), name, value).finish());
    encodedLabels.set(labels, bodies);
  }
  return bodies;
}

function writeExemplar(writer: Writer, { traceId, spanId, value, timestamp }: Exemplar): void {
  writer.fork();
  writeLabelPair(writer.uint32(TAG.exemplar.label), 'trace_id', traceId);
  writeLabelPair(writer.uint32(TAG.exemplar.label), 'span_id', spanId);
  writer.uint32(TAG.exemplar.value).double(value);
  // To the millisecond, as the text formats write it.
  const milliseconds = Math.round(timestamp * 1000);
  const seconds = Math.floor(milliseconds / 1000);
  const nanos = (milliseconds - seconds * 1000) * 1_000_000;
  writer.uint32(TAG.exemplar.timestamp).fork();
  writer.uint32(TAG.timestamp.seconds).int64(seconds).uint32(TAG.timestamp.nanos).int32(nanos);
  writer.ldelim();
  writer.ldelim();
}

/** A length-delimited `LabelPair`, after its tag. */
function writeLabelPair(writer: Writer, name: string, value: string): void {
  writeLabelPairBody(writer.fork(), name, value).ldelim();
}

function writeLabelPairBody(writer: Writer, name: string, value: string): Writer {
  return writer.uint32(TAG.label.name).string(name).uint32(TAG.label.value).string(value);
}
