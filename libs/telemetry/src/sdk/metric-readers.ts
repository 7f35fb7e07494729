import { diag } from '@opentelemetry/api';
import { type ExportResult, getStringListFromEnv } from '@opentelemetry/core';
import {
  AggregationTemporality,
  AggregationType,
  type IMetricReader,
  InstrumentType,
  type MetricProducer,
  type PushMetricExporter,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import {
  DEFAULT_NATIVE_HISTOGRAM_MAX_BUCKETS,
  DEFAULT_NATIVE_HISTOGRAMS,
  isInstrumentName,
  NATIVE_HISTOGRAM_MAX_BUCKETS_RANGE,
  nativeHistogramStreamName,
  nativeHistogramViews,
} from '../metrics/prometheus/native-histograms';
import type { NativeHistogramStreams } from '../metrics/metric-store';
import { ConsoleJsonMetricExporter } from './console-metric-exporter';
import { MAX_INT32, readEnvNumber, readEnvOr, readExporterNames } from './env';
import { createOtlpMetricExporter } from './otlp-exporters';
import type { StartTelemetryOptions } from './telemetry-options';

export const SUPPORTED_METRICS_EXPORTERS = ['prometheus', 'otlp', 'console', 'none'] as const;
export type MetricsExporterName = (typeof SUPPORTED_METRICS_EXPORTERS)[number];

/** The specification's defaults for `OTEL_METRIC_EXPORT_INTERVAL` and `OTEL_METRIC_EXPORT_TIMEOUT`. */
const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The exporters `OTEL_METRICS_EXPORTER` names (a list): `prometheus` (the default: `/metrics`, pulled),
 * `otlp` and `console` (pushed every `OTEL_METRIC_EXPORT_INTERVAL`; the console's a JSON document per
 * export, runtime metrics left out unless `CONSOLE_RUNTIME_METRICS=true`), or `none`.
 */
export function readMetricsExporters(): MetricsExporterName[] {
  return readExporterNames('OTEL_METRICS_EXPORTER', SUPPORTED_METRICS_EXPORTERS, 'prometheus');
}

/** A pushed exporter and how often it is read (`OTEL_METRIC_EXPORT_INTERVAL`, or the configuration file's). */
export interface PushMetricExport extends PeriodicTiming {
  exporter: PushMetricExporter;
}

/** The pushed exporters among `names`, each with its timing; `prometheus` is the exposition's own reader. */
export function createPushMetricExports(names: MetricsExporterName[]): PushMetricExport[] {
  const push = (exporter: PushMetricExporter): PushMetricExport => ({ exporter, ...readPeriodicTiming() });
  return names.flatMap((name) => {
    if (name === 'otlp') return [push(createOtlpMetricExporter())];
    if (name === 'console') return [push(new ConsoleJsonMetricExporter())];
    return [];
  });
}

/**
 * Whether a pushed exporter reads counters and histograms as the metric store aggregates them:
 * cumulatively (the default, but OTLP can be told delta or low memory), with the default aggregation (OTLP
 * can be told exponential histograms).
 */
export function readsAsStored({ exporter }: PushMetricExport): boolean {
  return [InstrumentType.COUNTER, InstrumentType.HISTOGRAM].every((type) => {
    const temporality = exporter.selectAggregationTemporality?.(type) ?? AggregationTemporality.CUMULATIVE;
    const aggregation = exporter.selectAggregation?.(type).type ?? AggregationType.DEFAULT;
    return temporality === AggregationTemporality.CUMULATIVE && aggregation === AggregationType.DEFAULT;
  });
}

/** The native histograms to serve, and the SDK views that collect them (none without Prometheus). */
export interface NativeHistograms {
  views: ViewOptions[];
  /** The names of their exponential streams, for the push exporters to leave out. */
  streams: ReadonlySet<string>;
  /** Each histogram served natively → the name of its exponential stream, and their most buckets. */
  byInstrument: NativeHistogramStreams;
}

/** No native histograms: where Prometheus is not among the exporters. */
export const NO_NATIVE_HISTOGRAMS: NativeHistograms = {
  views: [],
  streams: new Set(),
  byInstrument: { streams: new Map(), maxBuckets: DEFAULT_NATIVE_HISTOGRAM_MAX_BUCKETS },
};

/**
 * The histograms served natively: `PROMETHEUS_NATIVE_HISTOGRAMS` (instrument names, comma-separated, or
 * `none`), else the `nativeHistograms` option, else the HTTP server duration; each with at most
 * `PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS`, else `nativeHistogramMaxBuckets`, else 160 buckets. A bad
 * option throws; a bad variable warns and falls back (a name that is not one is dropped).
 */
export function readNativeHistograms(options: StartTelemetryOptions): NativeHistograms {
  const instruments = readNativeHistogramInstruments(options.nativeHistograms);
  const maxBuckets = readNativeHistogramMaxBuckets(options.nativeHistogramMaxBuckets);
  const byInstrument = new Map(instruments.map((name) => [name, nativeHistogramStreamName(name)]));
  return {
    views: nativeHistogramViews(instruments, maxBuckets),
    streams: new Set(byInstrument.values()),
    byInstrument: { streams: byInstrument, maxBuckets },
  };
}

const NATIVE_HISTOGRAMS_VARIABLE = 'PROMETHEUS_NATIVE_HISTOGRAMS';
const MAX_BUCKETS_VARIABLE = 'PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS';

function readNativeHistogramInstruments(option: readonly string[] | undefined): string[] {
  const invalid = option?.find((name) => typeof name !== 'string' || !isInstrumentName(name));
  if (invalid !== undefined) {
    throw new TypeError(
      `Invalid startTelemetry() option nativeHistograms: "${String(invalid)}" is not an instrument name (no wildcards)`,
    );
  }
  const listed = getStringListFromEnv(NATIVE_HISTOGRAMS_VARIABLE);
  if (listed === undefined) return [...new Set(option ?? DEFAULT_NATIVE_HISTOGRAMS)];
  if (listed.length === 1 && listed[0]?.toLowerCase() === 'none') return [];
  const unknown = listed.filter((name) => !isInstrumentName(name));
  if (unknown.length > 0) {
    diag.warn(
      `${NATIVE_HISTOGRAMS_VARIABLE}="${process.env[NATIVE_HISTOGRAMS_VARIABLE]}": ignoring ${unknown.join(', ')}: ` +
        'not instrument names (expected names such as http.server.request.duration, or none)',
    );
  }
  return [...new Set(listed.filter(isInstrumentName))];
}

function readNativeHistogramMaxBuckets(option: number | undefined): number {
  const { min, max } = NATIVE_HISTOGRAM_MAX_BUCKETS_RANGE;
  if (option !== undefined && !(Number.isInteger(option) && option >= min && option <= max)) {
    throw new TypeError(
      `Invalid startTelemetry() option nativeHistogramMaxBuckets=${String(option)}: expected an integer from ${min} to ${max}`,
    );
  }
  const fallback = option ?? DEFAULT_NATIVE_HISTOGRAM_MAX_BUCKETS;
  return readEnvOr(
    () => readEnvNumber(MAX_BUCKETS_VARIABLE, { min, max, noun: 'a bucket count' }) ?? fallback,
    fallback,
    `using ${fallback}`,
  );
}

/** A push exporter that leaves some streams out of what it is given. */
export class WithoutStreams implements PushMetricExporter {
  readonly selectAggregationTemporality?: PushMetricExporter['selectAggregationTemporality'];
  readonly selectAggregation?: PushMetricExporter['selectAggregation'];

  constructor(
    private readonly exporter: PushMetricExporter,
    private readonly leftOut: ReadonlySet<string>,
  ) {
    // The reader asks the exporter for its temporality and aggregations only if it has the methods.
    this.selectAggregationTemporality = exporter.selectAggregationTemporality?.bind(exporter);
    this.selectAggregation = exporter.selectAggregation?.bind(exporter);
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.exporter.export(
      {
        ...metrics,
        scopeMetrics: metrics.scopeMetrics.map((scope) => ({
          ...scope,
          metrics: scope.metrics.filter((metric) => !this.leftOut.has(metric.descriptor.name)),
        })),
      },
      resultCallback,
    );
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }
}

/** How often a periodic reader exports, and how long it waits for an export. */
export interface PeriodicTiming {
  exportIntervalMillis: number;
  exportTimeoutMillis: number;
}

/**
 * A periodic reader for a pushed exporter, reading `metricProducers` beside the SDK. The exporter never
 * sees `nativeStreams`, the exponential twins collected for Prometheus' native histograms: they would be an
 * extra metric there (`http.server.request.duration.native`).
 */
export function createPeriodicReader(
  { exporter, ...timing }: PushMetricExport,
  nativeStreams: ReadonlySet<string>,
  metricProducers: MetricProducer[],
): IMetricReader {
  return new PeriodicExportingMetricReader({
    exporter: nativeStreams.size > 0 ? new WithoutStreams(exporter, nativeStreams) : exporter,
    metricProducers,
    ...timing,
  });
}

function readPeriodicTiming(): PeriodicTiming {
  const read = (name: string, fallback: number): number =>
    readEnvOr(
      () => readEnvNumber(name, { min: 1, max: MAX_INT32, noun: 'a duration in milliseconds' }) ?? fallback,
      fallback,
      `using ${fallback}`,
    );
  const exportIntervalMillis = read('OTEL_METRIC_EXPORT_INTERVAL', DEFAULT_INTERVAL_MS);
  // The reader refuses a timeout longer than the interval; a short interval alone is a reasonable setting.
  const exportTimeoutMillis = Math.min(read('OTEL_METRIC_EXPORT_TIMEOUT', DEFAULT_TIMEOUT_MS), exportIntervalMillis);
  return { exportIntervalMillis, exportTimeoutMillis };
}
