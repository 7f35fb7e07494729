import { type ExportResult, ExportResultCode, getBooleanFromEnv } from '@opentelemetry/core';
import {
  AggregationTemporality,
  type DataPoint,
  DataPointType,
  type ExponentialHistogram,
  type Histogram,
  type MetricData,
  type PushMetricExporter,
  type ResourceMetrics,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { type ConsoleStream, resourceDocument, unixNanos, writeDocument } from './console-document';

/** `true` puts the Node.js runtime metrics (event loop, heap, GC) on the console too. */
export const CONSOLE_RUNTIME_METRICS = 'CONSOLE_RUNTIME_METRICS';

/** The scope of `@opentelemetry/instrumentation-runtime-node`'s metrics. */
export const RUNTIME_METRICS_SCOPE = '@opentelemetry/instrumentation-runtime-node';

export interface ConsoleJsonMetricExporterOptions {
  stream?: ConsoleStream;
  /** Whether runtime metrics are printed; else `CONSOLE_RUNTIME_METRICS`, else not. */
  runtimeMetrics?: boolean;
}

/**
 * `OTEL_METRICS_EXPORTER=console` (and a configuration file's `console` metric exporter): each export one
 * JSON document on stdout, in the shape of the Python SDK's `ConsoleMetricExporter`. The runtime metrics
 * are left out unless asked for: hundreds of lines of them every interval would bury the app's own
 * (`healthz_count`); Prometheus and OTLP still get them.
 */
export class ConsoleJsonMetricExporter implements PushMetricExporter {
  private readonly stream: ConsoleStream;
  private readonly runtimeMetrics: boolean;
  private stopped = false;

  constructor(options: ConsoleJsonMetricExporterOptions = {}) {
    this.stream = options.stream ?? process.stdout;
    this.runtimeMetrics = options.runtimeMetrics ?? getBooleanFromEnv(CONSOLE_RUNTIME_METRICS);
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) return resultCallback({ code: ExportResultCode.FAILED });
    const scopeMetrics = metrics.scopeMetrics.filter(
      (scope) => scope.metrics.length > 0 && (this.runtimeMetrics || scope.scope.name !== RUNTIME_METRICS_SCOPE),
    );
    try {
      // Nothing left to show is no document: an empty one every interval says nothing.
      if (scopeMetrics.length > 0) writeDocument(this.stream, metricsDocument({ ...metrics, scopeMetrics }));
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  /** Cumulative, as the SDK's console exporter and Python's: each document has the totals since start. */
  selectAggregationTemporality(): AggregationTemporality {
    return AggregationTemporality.CUMULATIVE;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
}

/** What Python's `MetricsData.to_json()` writes, field for field. */
export function metricsDocument(metrics: ResourceMetrics): object {
  return {
    resource_metrics: [
      {
        resource: resourceDocument(metrics.resource),
        scope_metrics: metrics.scopeMetrics.map(scopeDocument),
        schema_url: metrics.resource.schemaUrl ?? '',
      },
    ],
  };
}

function scopeDocument({ scope, metrics }: ScopeMetrics): object {
  return {
    scope: { name: scope.name, version: scope.version ?? '', schema_url: scope.schemaUrl ?? '' },
    metrics: metrics.map((metric) => ({
      name: metric.descriptor.name,
      description: metric.descriptor.description,
      unit: metric.descriptor.unit,
      data: dataDocument(metric),
    })),
    schema_url: scope.schemaUrl ?? '',
  };
}

/** OTLP's numbers for the temporality, as Python writes them (the SDK's enum counts from 0). */
const TEMPORALITY: Record<AggregationTemporality, number> = {
  [AggregationTemporality.DELTA]: 1,
  [AggregationTemporality.CUMULATIVE]: 2,
};

function dataDocument(metric: MetricData): object {
  const temporality = TEMPORALITY[metric.aggregationTemporality];
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return {
        data_points: metric.dataPoints.map((point) => ({ ...pointBase(point), value: point.value })),
        aggregation_temporality: temporality,
        is_monotonic: metric.isMonotonic,
      };
    case DataPointType.GAUGE:
      return { data_points: metric.dataPoints.map((point) => ({ ...pointBase(point), value: point.value })) };
    case DataPointType.HISTOGRAM:
      return { data_points: metric.dataPoints.map(histogramPoint), aggregation_temporality: temporality };
    case DataPointType.EXPONENTIAL_HISTOGRAM:
      return { data_points: metric.dataPoints.map(exponentialPoint), aggregation_temporality: temporality };
  }
}

function pointBase(point: DataPoint<unknown>): object {
  return {
    attributes: point.attributes,
    start_time_unix_nano: unixNanos(point.startTime),
    time_unix_nano: unixNanos(point.endTime),
  };
}

// Python writes every field of a histogram point; a sum, min or max the SDK did not record is null.
function histogramPoint(point: DataPoint<Histogram>): object {
  const { value } = point;
  return {
    ...pointBase(point),
    count: value.count,
    sum: value.sum ?? null,
    bucket_counts: value.buckets.counts,
    explicit_bounds: value.buckets.boundaries,
    min: value.min ?? null,
    max: value.max ?? null,
  };
}

function exponentialPoint(point: DataPoint<ExponentialHistogram>): object {
  const { value } = point;
  return {
    ...pointBase(point),
    count: value.count,
    sum: value.sum ?? null,
    scale: value.scale,
    zero_count: value.zeroCount,
    positive: { offset: value.positive.offset, bucket_counts: value.positive.bucketCounts },
    negative: { offset: value.negative.offset, bucket_counts: value.negative.bucketCounts },
    flags: 0,
    min: value.min ?? null,
    max: value.max ?? null,
  };
}
