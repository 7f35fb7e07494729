import { type Attributes, type SpanContext, TraceFlags, ValueType } from '@opentelemetry/api';
import {
  AggregationTemporality,
  AggregationType,
  InMemoryMetricExporter,
  InstrumentType,
  MeterProvider,
  type MetricData,
  MetricReader,
  PeriodicExportingMetricReader,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { CollectingReader } from '../spec-support/collecting-reader';
import { captureDiagnostics } from '../spec-support/captured-diagnostics';
import { exemplarsOf } from './exemplars';
import { MetricStore } from './metric-store';

/** The metrics of one collection of `reader`, by name, data points in a stable order. */
async function collected(reader: MetricReader): Promise<Map<string, MetricData>> {
  const { resourceMetrics } = await reader.collect();
  const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  return new Map(all.map((metric) => [metric.descriptor.name, metric]));
}

/** What a data point says, without its times (the SDK's and the store's series start at other instants). */
function pointsOf(metric: MetricData | undefined): unknown[] {
  return (metric?.dataPoints ?? [])
    .map(({ attributes, value }) => ({ attributes, value }))
    .sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes)));
}

const NATIVE = 'work.duration.native';

/** The SDK as `startTelemetry()` set it up before the store: a classic and an exponential view per histogram. */
function sdkWithNativeViews(maxSize: number): { provider: MeterProvider; reader: CollectingReader } {
  const views: ViewOptions[] = [
    { instrumentName: 'work.duration', instrumentType: InstrumentType.HISTOGRAM },
    {
      instrumentName: 'work.duration',
      instrumentType: InstrumentType.HISTOGRAM,
      name: NATIVE,
      aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize } },
    },
  ];
  const reader = new CollectingReader();
  return { provider: new MeterProvider({ views, readers: [reader] }), reader };
}

function storeWithReader(maxBuckets: number, cardinalityLimit?: number): { store: MetricStore; reader: MetricReader } {
  const store = new MetricStore({ streams: new Map([['work.duration', NATIVE]]), maxBuckets }, cardinalityLimit);
  const reader = new CollectingReader({ metricProducers: [store] });
  new MeterProvider({ readers: [reader] });
  return { store, reader };
}

/** Log-uniform values over many decades, from a fixed seed: every run records the same. */
function spreadValues(count: number, seed: number): number[] {
  let state = seed;
  const next = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return Array.from({ length: count }, () => 10 ** (next() * 12 - 6));
}

const BOUNDARIES = [0.005, 0.01, 0.1, 1, 10];
const OPTIONS = { unit: 's', description: 'Work', advice: { explicitBucketBoundaries: BOUNDARIES } };

describe('MetricStore: the same data as the SDK for the same measurements', () => {
  const cases: Array<[string, number[], number]> = [
    ['values over twelve decades, downscaled to fit 160 buckets', spreadValues(2000, 7), 160],
    ['the same in 4 buckets (scale far below zero)', spreadValues(500, 11), 4],
    ['values one by one into 2 buckets (each range at its limit)', [1, 2, 4, 8, 3, 16, 0.75], 2],
    ['doubling values into 3 buckets', [1, 2, 4, 8, 16, 32, 64, 1.5, 96], 3],
    ['zeros, exact powers of two and bucket boundaries', [0, 0, 1, 2, 0.5, 0.25, 1024, 0.005, 0.01, 0.1, 10, 0], 160],
    ['large then small values (the range grows downwards)', [5000, 4000, 3, 0.002, 0.000001, 7e-9], 20],
    ['only zeros (scale 0, no buckets)', [0, 0, 0], 160],
    ['NaN dropped, +Inf counted by the classic histogram alone', [1, NaN, Infinity, 0.5, Infinity, 20, NaN], 160],
    ['only +Inf (an empty exponential histogram)', [Infinity, Infinity, Infinity], 160],
  ];

  it.each(cases)('histogram and native histogram: %s', async (_name, values, maxSize) => {
    const sdk = sdkWithNativeViews(maxSize);
    const ours = storeWithReader(maxSize);
    const sdkHistogram = sdk.provider.getMeter('spec').createHistogram('work.duration', OPTIONS);
    const storeHistogram = ours.store.histogram('spec', 'work.duration', OPTIONS);
    const diagnostics = captureDiagnostics();
    values.forEach((value, index) => {
      const attributes = { 'work.kind': index % 3 === 0 ? 'batch' : 'single' };
      sdkHistogram.record(value, attributes);
      storeHistogram.record(value, attributes, undefined);
    });
    diagnostics.restore();
    const expected = await collected(sdk.reader);
    const actual = await collected(ours.reader);
    for (const name of ['work.duration', NATIVE]) {
      expect(actual.get(name)?.descriptor).toEqual(expected.get(name)?.descriptor);
      expect(actual.get(name)?.dataPointType).toBe(expected.get(name)?.dataPointType);
      expect(pointsOf(actual.get(name))).toEqual(pointsOf(expected.get(name)));
    }
  });

  it('counters: sums per attribute set, whatever the order of their keys; integers truncated', async () => {
    const sdk = sdkWithNativeViews(160);
    const ours = storeWithReader(160);
    const options = { description: 'Orders', valueType: ValueType.INT };
    const sdkCounter = sdk.provider.getMeter('spec').createCounter('orders', options);
    const storeCounter = ours.store.counter('spec', 'orders', options);
    const measurements: Array<[number, Attributes | undefined]> = [
      [1, { channel: 'web', region: 'eu' }],
      [2.7, { region: 'eu', channel: 'web' }],
      [4, { channel: 'app' }],
      [1, undefined],
      [Infinity, { channel: 'app' }],
    ];
    const diagnostics = captureDiagnostics();
    for (const [value, attributes] of measurements) {
      sdkCounter.add(value, attributes);
      storeCounter.add(value, attributes, undefined);
    }
    diagnostics.restore();
    const expected = (await collected(sdk.reader)).get('orders');
    const actual = (await collected(ours.reader)).get('orders');
    expect(actual).toMatchObject({ descriptor: expected?.descriptor, isMonotonic: true });
    expect(pointsOf(actual)).toEqual(pointsOf(expected));
    expect(pointsOf(actual)).toContainEqual({ attributes: { channel: 'web', region: 'eu' }, value: 3 });
  });

  it('advice boundaries as the SDK takes them: sorted, without the infinities and what lies beyond', async () => {
    const sdk = sdkWithNativeViews(160);
    const ours = storeWithReader(160);
    const options = { advice: { explicitBucketBoundaries: [Infinity, 10, -Infinity, 0.1, 1, -5, Infinity] } };
    const sdkHistogram = sdk.provider.getMeter('spec').createHistogram('work.duration', options);
    const storeHistogram = ours.store.histogram('spec', 'work.duration', options);
    for (const value of [0, 0.05, 0.5, 5, 50]) {
      sdkHistogram.record(value);
      storeHistogram.record(value, undefined, undefined);
    }
    const expected = (await collected(sdk.reader)).get('work.duration');
    const actual = (await collected(ours.reader)).get('work.duration');
    expect(pointsOf(actual)).toEqual(pointsOf(expected));
    expect(pointsOf(actual)).toEqual([
      expect.objectContaining({
        value: expect.objectContaining({ buckets: { boundaries: [-5, 0.1, 1, 10], counts: [0, 2, 1, 1, 1] } }),
      }),
    ]);
  });
});

describe('MetricStore: series', () => {
  it('reads a changed attribute object anew (only a frozen one is known by identity)', async () => {
    const { store, reader } = storeWithReader(160);
    const counter = store.counter('spec', 'jobs');
    const attributes: Attributes = { queue: 'a' };
    counter.add(1, attributes, undefined);
    attributes.queue = 'b';
    counter.add(1, attributes, undefined);
    const frozen = Object.freeze({ queue: 'c' });
    counter.add(1, frozen, undefined);
    counter.add(1, frozen, undefined);
    expect(pointsOf((await collected(reader)).get('jobs'))).toEqual([
      { attributes: { queue: 'a' }, value: 1 },
      { attributes: { queue: 'b' }, value: 1 },
      { attributes: { queue: 'c' }, value: 2 },
    ]);
  });

  it('keeps its own copy of the attributes a series was made with', async () => {
    const { store, reader } = storeWithReader(160);
    const attributes: Attributes = { queue: 'a' };
    store.counter('spec', 'jobs').add(1, attributes, undefined);
    attributes.queue = 'changed';
    expect(pointsOf((await collected(reader)).get('jobs'))).toEqual([{ attributes: { queue: 'a' }, value: 1 }]);
  });

  it('puts measurements past the cardinality limit on the SDK’s overflow series', async () => {
    const { store, reader } = storeWithReader(160, 3);
    const counter = store.counter('spec', 'visits');
    ['a', 'b', 'c', 'd', 'a'].forEach((page) => counter.add(1, { page }, undefined));
    expect(pointsOf((await collected(reader)).get('visits'))).toEqual([
      { attributes: { 'otel.metric.overflow': true }, value: 2 },
      { attributes: { page: 'a' }, value: 2 },
      { attributes: { page: 'b' }, value: 1 },
    ]);
  });

  it('drops negative and non-number values with the SDK’s warning, NaN too (the SDK’s counter would add it)', async () => {
    const { store, reader } = storeWithReader(160);
    const diagnostics = captureDiagnostics();
    try {
      store.counter('spec', 'refunds').add(-1, {}, undefined);
      store.histogram('spec', 'latency').record('slow' as unknown as number, {}, undefined);
      store.counter('spec', 'refunds').add(NaN, {}, undefined);
      store.counter('spec', 'items', { valueType: ValueType.INT }).add(Infinity, {}, undefined);
      expect(await collected(reader)).toEqual(new Map());
      expect(diagnostics.warnings).toEqual([
        expect.stringContaining('negative value provided to counter refunds: -1'),
        expect.stringContaining('non-number value provided to metric latency: slow'),
        expect.stringContaining('non-number value provided to metric refunds: NaN'),
        expect.stringContaining('INT value type cannot accept a floating-point value for items'),
      ]);
    } finally {
      diagnostics.restore();
    }
  });

  it('keeps an exemplar per bucket from sampled spans only, for the exposition to find', async () => {
    const { store } = storeWithReader(160);
    const histogram = store.histogram('exemplar-spec', 'work.duration', OPTIONS);
    const span = (traceFlags: number, spanId: string): SpanContext => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId,
      traceFlags,
    });
    histogram.record(0.05, { job: 'a' }, span(TraceFlags.SAMPLED, 'b7ad6b7169203331'));
    histogram.record(0.06, { job: 'a' }, span(TraceFlags.NONE, 'c7ad6b7169203331'));
    histogram.record(5, { job: 'a' }, span(TraceFlags.SAMPLED, '0000000000000000'));
    histogram.record(5, { job: 'a' }, undefined);
    expect(exemplarsOf('exemplar-spec', 'work.duration', { job: 'a' })).toEqual([
      expect.objectContaining({ spanId: 'b7ad6b7169203331', value: 0.05 }),
    ]);
  });
});

describe('MetricStore: exemplar budget', () => {
  it('gives a series exemplar room at its first sampled measurement, so unsampled series take none', () => {
    const { store } = storeWithReader(160, 5000);
    const unsampled = store.counter('budget-spec', 'unsampled');
    for (let user = 0; user < 2500; user++) unsampled.add(1, { user }, undefined);
    const sampled: SpanContext = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    };
    store.counter('budget-spec', 'sampled').add(1, { user: 1 }, sampled);
    expect(exemplarsOf('budget-spec', 'sampled', { user: 1 })).toEqual([
      expect.objectContaining({ spanId: 'b7ad6b7169203331', value: 1 }),
    ]);
  });
});

describe('MetricStore read by a periodic exporter', () => {
  it('exports cumulatively beside the SDK’s metrics, each scope once per producer', async () => {
    const store = new MetricStore({ streams: new Map(), maxBuckets: 160 });
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({
      exporter,
      exportIntervalMillis: 60_000,
      metricProducers: [store],
    });
    const provider = new MeterProvider({ readers: [reader] });
    provider.getMeter('sdk-scope').createCounter('sdk.events').add(1);
    store.counter('store-scope', 'store.events').add(2, {}, undefined);
    await reader.forceFlush();
    store.counter('store-scope', 'store.events').add(3, {}, undefined);
    await reader.forceFlush();
    await provider.shutdown();
    const last = exporter.getMetrics().at(-1);
    expect(last?.scopeMetrics.map((scope) => [scope.scope.name, scope.metrics.map((m) => m.descriptor.name)])).toEqual([
      ['sdk-scope', ['sdk.events']],
      ['store-scope', ['store.events']],
    ]);
    expect(last?.scopeMetrics[1]?.metrics[0]?.dataPoints[0]?.value).toBe(5);
  });
});
