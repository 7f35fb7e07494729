import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Attributes, context, type SpanContext, trace, TraceFlags } from '@opentelemetry/api';
import { MetricReader } from '@opentelemetry/sdk-metrics';
import { METRIC_HTTP_SERVER_REQUEST_DURATION } from '@opentelemetry/semantic-conventions';
import { startTelemetry } from '../sdk/start-telemetry';
import { getStartedTelemetry } from '../state/started-telemetry';
import { LIBRARY_SCOPE } from '../telemetry.constants';
import { FinishedSpans } from '../testing/finished-spans';
import { ExemplarStore, exemplarsOf } from './exemplars';
import { lazyInstrument } from './lazy-instruments';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const sampled: SpanContext = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED };

function spanContext(n: number, traceFlags = TraceFlags.SAMPLED): SpanContext {
  return { traceId: n.toString(16).padStart(32, '0'), spanId: n.toString(16).padStart(16, '0'), traceFlags };
}

describe('ExemplarStore', () => {
  it('keeps exemplars of sampled spans only', () => {
    const counter = new ExemplarStore().instrument('scope', 'calls');
    counter.offer(1, {}, { ...sampled, traceFlags: TraceFlags.NONE });
    counter.offer(1, {}, undefined);
    counter.offer(1, {}, { ...sampled, traceId: '0'.repeat(32) });
    expect(counter.exemplarsOf({})).toEqual([]);

    counter.offer(2, {}, sampled);
    expect(counter.exemplarsOf({})).toEqual([
      { traceId: TRACE_ID, spanId: SPAN_ID, value: 2, timestamp: expect.closeTo(Date.now() / 1000, 0) },
    ]);
  });

  it('keeps one exemplar for a counter series: the latest', () => {
    const counter = new ExemplarStore().instrument('scope', 'calls');
    counter.offer(1, { route: '/a' }, spanContext(1));
    counter.offer(1, { route: '/a' }, spanContext(2));
    expect(counter.exemplarsOf({ route: '/a' }).map((exemplar) => exemplar.traceId)).toEqual([spanContext(2).traceId]);
  });

  it('keeps the latest exemplar of each classic bucket of a histogram (upper bound inclusive), newest first', async () => {
    const histogram = new ExemplarStore().instrument('scope', 'duration', [0.1, 1]);
    const offer = async (value: number, n: number): Promise<void> => {
      histogram.offer(value, undefined, spanContext(n));
      // Distinct timestamps, so that "newest first" is observable.
      await new Promise((resolve) => setTimeout(resolve, 2));
    };
    await offer(0.05, 1);
    await offer(0.5, 2);
    await offer(7, 3);
    await offer(0.1, 4); // replaces 1: 0.1 belongs to le="0.1"
    await offer(1, 5); // replaces 2
    expect(histogram.exemplarsOf({}).map(({ value }) => value)).toEqual([1, 0.1, 7]);
  });

  it('finds a series from another object with the same attributes, in any key order', () => {
    const histogram = new ExemplarStore().instrument('scope', 'duration', [1]);
    histogram.offer(0.5, { method: 'GET', status: 200 }, sampled);
    histogram.offer(0.7, { status: 200, method: 'GET' }, spanContext(2));
    expect(histogram.exemplarsOf({ status: 200, method: 'GET' }).map(({ value }) => value)).toEqual([0.7]);
    expect(histogram.exemplarsOf({ method: 'GET', status: 500 })).toEqual([]);
    expect(histogram.exemplarsOf({ method: 'GET' })).toEqual([]);
  });

  it('keeps at most maxSeries series over all instruments; existing ones keep being updated', () => {
    const store = new ExemplarStore(2);
    const counter = store.instrument('scope', 'calls');
    const histogram = store.instrument('scope', 'duration', [1]);
    counter.offer(1, { n: 1 }, spanContext(1));
    histogram.offer(1, { n: 2 }, spanContext(2));
    counter.offer(1, { n: 3 }, spanContext(3));
    histogram.offer(1, { n: 4 }, spanContext(4));
    counter.offer(1, { n: 1 }, spanContext(5));
    expect(store.exemplarsOf('scope', 'calls', { n: 3 })).toEqual([]);
    expect(store.exemplarsOf('scope', 'duration', { n: 4 })).toEqual([]);
    expect(store.exemplarsOf('scope', 'calls', { n: 1 })[0]?.traceId).toBe(spanContext(5).traceId);
    expect(store.exemplarsOf('scope', 'duration', { n: 2 })[0]?.traceId).toBe(spanContext(2).traceId);
  });

  it('tells instruments apart by scope and name', () => {
    const store = new ExemplarStore();
    store.instrument('a', 'calls').offer(1, {}, sampled);
    expect(store.exemplarsOf('b', 'calls', {})).toEqual([]);
    expect(store.exemplarsOf('a', 'other', {})).toEqual([]);
    expect(store.exemplarsOf('a', 'calls', {})).toHaveLength(1);
  });
});

/** Collects on demand, as the Prometheus exposition does: `exemplarsOf` gets the SDK's own attributes. */
class CollectingReader extends MetricReader {
  protected override onForceFlush = (): Promise<void> => Promise.resolve();
  protected override onShutdown = (): Promise<void> => Promise.resolve();
}

async function collectedAttributes(reader: MetricReader, scope: string, name: string): Promise<Attributes[]> {
  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics
    .filter((scopeMetrics) => scopeMetrics.scope.name === scope)
    .flatMap((scopeMetrics) => scopeMetrics.metrics)
    .find((data) => data.descriptor.name === name);
  if (!metric) throw new Error(`${scope} ${name} was not collected`);
  return metric.dataPoints.map((point) => point.attributes);
}

/** The attributes of the one series of an instrument. */
async function onlySeries(reader: MetricReader, scope: string, name: string): Promise<Attributes> {
  const [series, ...others] = await collectedAttributes(reader, scope, name);
  expect(others).toEqual([]);
  if (!series) throw new Error(`${scope} ${name} has no series`);
  return series;
}

describe('exemplars of the library’s instruments', () => {
  let reader: CollectingReader;
  let spans: FinishedSpans;

  beforeEach(() => {
    reader = new CollectingReader();
    spans = new FinishedSpans();
    startTelemetry({ spanProcessors: [spans], metricReaders: [reader], runtimeMetrics: false });
  });
  afterEach(() => getStartedTelemetry()?.shutdown());

  it('come from the active span of a lazyInstrument counter and histogram, found from the collected series', async () => {
    const counter = lazyInstrument('exemplar-spec', 'counter', 'spec.calls');
    const histogram = lazyInstrument('exemplar-spec', 'histogram', 'spec.duration', {
      advice: { explicitBucketBoundaries: [1, 10] },
    });
    const traceId = trace.getTracer('spec').startActiveSpan('work', (span) => {
      counter.add(1, { outcome: 'ok' });
      histogram.record(5, { outcome: 'ok' });
      span.end();
      return span.spanContext().traceId;
    });
    counter.add(1, { outcome: 'ok' }); // outside any span: no exemplar, the first one stays

    const counterSeries = await onlySeries(reader, 'exemplar-spec', 'spec.calls');
    const histogramSeries = await onlySeries(reader, 'exemplar-spec', 'spec.duration');
    expect(exemplarsOf('exemplar-spec', 'spec.calls', counterSeries)).toEqual([
      expect.objectContaining({ traceId, value: 1 }),
    ]);
    expect(exemplarsOf('exemplar-spec', 'spec.duration', histogramSeries)).toEqual([
      expect.objectContaining({ traceId, value: 5 }),
    ]);
  });

  it('come from the context passed to add(), when one is', async () => {
    const counter = lazyInstrument('exemplar-spec', 'counter', 'spec.passed');
    const passed = trace.setSpanContext(context.active(), sampled);
    counter.add(3, undefined, passed);
    const series = await onlySeries(reader, 'exemplar-spec', 'spec.passed');
    expect(exemplarsOf('exemplar-spec', 'spec.passed', series)).toEqual([
      expect.objectContaining({ traceId: TRACE_ID, spanId: SPAN_ID, value: 3 }),
    ]);
  });

  it('come from the SERVER span of the HTTP server duration, sampled requests only', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      await fetch(url, { headers: { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` } });
      await fetch(url, { headers: { traceparent: `00-${'a'.repeat(32)}-${SPAN_ID}-00` } });
      // Only the sampled request's SERVER span is recorded; the unsampled one, later, must not replace it.
      const [serverSpan] = await spans.waitFor(1);
      const series = await onlySeries(reader, LIBRARY_SCOPE, METRIC_HTTP_SERVER_REQUEST_DURATION);
      expect(exemplarsOf(LIBRARY_SCOPE, METRIC_HTTP_SERVER_REQUEST_DURATION, series)).toEqual([
        expect.objectContaining({ traceId: TRACE_ID, spanId: serverSpan?.spanContext().spanId }),
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
