import {
  AggregationTemporality,
  AggregationType,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { captureDiagnostics } from '../spec-support/captured-diagnostics';
import { inEnv } from '../spec-support/with-env';
import {
  createPeriodicReader,
  createPushMetricExports,
  readNativeHistograms,
  readsAsStored,
  WithoutStreams,
} from './metric-readers';
import { createOtlpMetricExporter } from './otlp-exporters';

/** Everything a push exporter is given after one export of a provider with the native-histogram views. */
async function exported(wrap: (exporter: InMemoryMetricExporter) => PushExporter): Promise<MetricData[]> {
  const { views } = readNativeHistograms({ nativeHistograms: ['work.duration'] });
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: wrap(exporter), exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ views, readers: [reader] });
  const histogram = provider.getMeter('spec').createHistogram('work.duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: [0.1, 1] },
  });
  [0.05, 0.5, 3].forEach((value) => histogram.record(value));
  await reader.forceFlush();
  await provider.shutdown();
  return exporter.getMetrics().flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics));
}
type PushExporter = ConstructorParameters<typeof PeriodicExportingMetricReader>[0]['exporter'];

describe('native histograms: SDK views', () => {
  it('collect a histogram twice: its classic buckets under its name, exponential buckets under name.native', async () => {
    const metrics = await exported((exporter) => exporter);
    const byName = new Map(metrics.map((metric) => [metric.descriptor.name, metric]));
    const classic = byName.get('work.duration');
    const native = byName.get('work.duration.native');
    expect(classic?.dataPointType).toBe(DataPointType.HISTOGRAM);
    // The advice's boundaries are kept by the view that keeps the classic stream.
    expect(classic?.dataPoints[0]?.value).toMatchObject({ count: 3, buckets: { boundaries: [0.1, 1] } });
    expect(native?.dataPointType).toBe(DataPointType.EXPONENTIAL_HISTOGRAM);
    expect(native?.dataPoints[0]?.value).toMatchObject({ count: 3, sum: 3.55 });
  });

  it('are never seen by push exporters (OTLP, console): WithoutStreams leaves the exponential stream out', async () => {
    const { streams } = readNativeHistograms({ nativeHistograms: ['work.duration'] });
    const metrics = await exported((exporter) => new WithoutStreams(exporter, streams));
    // Exported twice (flush, then shutdown): the same one stream each time.
    expect(new Set(metrics.map((metric) => metric.descriptor.name))).toEqual(new Set(['work.duration']));
  });

  it('keep the exporter’s temporality and aggregation choices', () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    const wrapped = new WithoutStreams(exporter, new Set(['x.native']));
    expect(wrapped.selectAggregationTemporality?.(0 as never)).toBe(AggregationTemporality.DELTA);
  });
});

describe('readNativeHistograms', () => {
  const streamsOf = (options: Parameters<typeof readNativeHistograms>[0], env: Record<string, string> = {}) => [
    ...inEnv(env, () => readNativeHistograms(options)).streams,
  ];
  const maxSizeOf = (options: Parameters<typeof readNativeHistograms>[0], env: Record<string, string> = {}) => {
    const view = inEnv(env, () => readNativeHistograms(options)).views.find((v) => v.name?.endsWith('.native'));
    return (view?.aggregation as { options?: { maxSize?: number } } | undefined)?.options?.maxSize;
  };

  it('serves the HTTP server duration natively by default, with at most 160 buckets', () => {
    expect(streamsOf({})).toEqual(['http.server.request.duration.native']);
    expect(maxSizeOf({})).toBe(160);
  });

  it('takes the nativeHistograms option instead of the default; [] for none', () => {
    expect(streamsOf({ nativeHistograms: ['orders.latency', 'http.server.request.duration'] })).toEqual([
      'orders.latency.native',
      'http.server.request.duration.native',
    ]);
    expect(streamsOf({ nativeHistograms: [] })).toEqual([]);
    expect(readNativeHistograms({ nativeHistograms: [] }).views).toEqual([]);
    expect(maxSizeOf({ nativeHistogramMaxBuckets: 40 })).toBe(40);
  });

  it('lets PROMETHEUS_NATIVE_HISTOGRAMS win over the option; none turns native histograms off', () => {
    expect(streamsOf({ nativeHistograms: ['a'] }, { PROMETHEUS_NATIVE_HISTOGRAMS: 'b, c' })).toEqual([
      'b.native',
      'c.native',
    ]);
    expect(streamsOf({}, { PROMETHEUS_NATIVE_HISTOGRAMS: 'none' })).toEqual([]);
    expect(maxSizeOf({ nativeHistogramMaxBuckets: 40 }, { PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS: '20' })).toBe(20);
  });

  it('refuses a bad option, naming it and the value', () => {
    expect(() => readNativeHistograms({ nativeHistograms: ['http.*'] })).toThrow(
      'Invalid startTelemetry() option nativeHistograms: "http.*" is not an instrument name',
    );
    expect(() => readNativeHistograms({ nativeHistogramMaxBuckets: 1 })).toThrow(
      'Invalid startTelemetry() option nativeHistogramMaxBuckets=1: expected an integer from 2 to 16384',
    );
  });

  it('drops bad names and a bad bucket count from the environment with one warning each, never failing', () => {
    const diagnostics = captureDiagnostics();
    try {
      const env = { PROMETHEUS_NATIVE_HISTOGRAMS: 'ok.name,*', PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS: 'lots' };
      expect(streamsOf({}, env)).toEqual(['ok.name.native']);
      expect(maxSizeOf({}, env)).toBe(160);
      expect(diagnostics.warnings).toHaveLength(4); // two reads of the same two variables
      expect(diagnostics.warnings[0]).toContain('PROMETHEUS_NATIVE_HISTOGRAMS="ok.name,*": ignoring *');
      expect(diagnostics.warnings[1]).toContain('PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS="lots"');
    } finally {
      diagnostics.restore();
    }
  });
});

describe('createPushMetricExports', () => {
  it('prints console metrics as one JSON document per export, in the Python SDK’s shape', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const readers = createPushMetricExports(['console']).map((push) => createPeriodicReader(push, new Set(), []));
      const provider = new MeterProvider({ readers });
      provider.getMeter('spec').createCounter('healthz_count').add(2);
      await provider.forceFlush();
      await provider.shutdown();
      const documents = write.mock.calls.map(([text]) => JSON.parse(String(text)) as object);
      expect(documents[0]).toMatchObject({
        resource_metrics: [
          {
            scope_metrics: [
              {
                scope: { name: 'spec' },
                metrics: [{ name: 'healthz_count', data: { data_points: [{ value: 2 }], is_monotonic: true } }],
              },
            ],
          },
        ],
      });
    } finally {
      write.mockRestore();
    }
  });
});

describe('readsAsStored: whether a pushed exporter may read the metric store', () => {
  const timing = { exportIntervalMillis: 60_000, exportTimeoutMillis: 30_000 };
  const otlpWith = (env: Record<string, string>) =>
    inEnv({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://127.0.0.1:4318/v1/metrics', ...env }, () => ({
      exporter: createOtlpMetricExporter('http/json'),
      ...timing,
    }));

  it('yes for cumulative exporters with the default aggregation: the console, OTLP by default', () => {
    expect(readsAsStored({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), ...timing })).toBe(
      true,
    );
    expect(readsAsStored(otlpWith({}))).toBe(true);
  });

  it('no for delta or low-memory temporality, or exponential histograms, as OTLP can be told', () => {
    expect(readsAsStored({ exporter: new InMemoryMetricExporter(AggregationTemporality.DELTA), ...timing })).toBe(
      false,
    );
    expect(readsAsStored(otlpWith({ OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta' }))).toBe(false);
    expect(readsAsStored(otlpWith({ OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'lowmemory' }))).toBe(false);
    const exponential = inEnv({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://127.0.0.1:4318/v1/metrics' }, () =>
      createOtlpMetricExporter('http/json', {
        aggregationPreference: () => ({ type: AggregationType.EXPONENTIAL_HISTOGRAM }),
      }),
    );
    expect(readsAsStored({ exporter: exponential, ...timing })).toBe(false);
  });
});
