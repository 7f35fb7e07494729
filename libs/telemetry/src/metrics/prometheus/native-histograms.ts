import { AggregationType, InstrumentType, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { METRIC_HTTP_SERVER_REQUEST_DURATION } from '@opentelemetry/semantic-conventions';

/**
 * A histogram served as a Prometheus native histogram is collected twice, through two
 * SDK views on the same instrument: its classic explicit-bucket stream under the instrument's own name, and a
 * base-2 exponential stream under `name + NATIVE_HISTOGRAM_STREAM_SUFFIX`. The exposition merges the two into
 * one family: classic buckets and native spans in the protobuf format, classic buckets only in the text
 * formats. Push exporters never see the exponential stream (see `metric-readers.ts`).
 */
export const NATIVE_HISTOGRAM_STREAM_SUFFIX = '.native';

/** The histograms served natively unless told otherwise: the HTTP server duration. */
export const DEFAULT_NATIVE_HISTOGRAMS: readonly string[] = [METRIC_HTTP_SERVER_REQUEST_DURATION];

/**
 * Most buckets of a native histogram (per sign): the SDK's default `maxSize`. The exponential aggregation
 * lowers its scale (coarser buckets) rather than grow past it, so memory and scrape size stay bounded.
 */
export const DEFAULT_NATIVE_HISTOGRAM_MAX_BUCKETS = 160;
/** The SDK refuses fewer than 2; more than this is far beyond any Prometheus bucket limit worth having. */
export const NATIVE_HISTOGRAM_MAX_BUCKETS_RANGE = { min: 2, max: 16_384 } as const;

/**
 * An instrument name as the OpenTelemetry API accepts it: a view naming its stream must select one
 * instrument, so no wildcards.
 */
const INSTRUMENT_NAME = /^[A-Za-z][\w./-]{0,254}$/;

export function isInstrumentName(name: string): boolean {
  return INSTRUMENT_NAME.test(name);
}

/** The two views per natively served histogram: its classic stream as it was, and its exponential twin. */
export function nativeHistogramViews(instruments: readonly string[], maxBuckets: number): ViewOptions[] {
  return instruments.flatMap((instrumentName): ViewOptions[] => [
    // A view replaces the default stream of what it selects: this one keeps it (advice boundaries included).
    { instrumentName, instrumentType: InstrumentType.HISTOGRAM },
    {
      instrumentName,
      instrumentType: InstrumentType.HISTOGRAM,
      name: nativeHistogramStreamName(instrumentName),
      aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: maxBuckets } },
    },
  ]);
}

/** The name under which the exponential twin of a natively served histogram is collected. */
export function nativeHistogramStreamName(instrument: string): string {
  return `${instrument}${NATIVE_HISTOGRAM_STREAM_SUFFIX}`;
}
