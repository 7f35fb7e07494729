import { spawnSync } from 'node:child_process';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, InstrumentType, MeterProvider } from '@opentelemetry/sdk-metrics';
import { fixedExemplars, SPAN, TRACE_A } from '../../spec-support/resource-metrics';
import { CONTENT_TYPES } from './content-negotiation';
import { NATIVE_HISTOGRAM_STREAM_SUFFIX } from './native-histograms';
import { PrometheusExposition } from './prometheus-exposition';

const DURATION = 'http.server.request.duration';

/**
 * An SDK with what an app has: two scopes sharing a counter, an up-down counter, gauges (one in `1`), a
 * histogram in seconds served natively too (its exponential twin), one in bytes, odd names and
 * label values, and a resource.
 */
async function realisticExposition(): Promise<{ exposition: PrometheusExposition; provider: MeterProvider }> {
  const exposition = new PrometheusExposition(
    fixedExemplars({ 'orders/orders/{"channel":"web"}': [{ traceId: TRACE_A, spanId: SPAN, value: 1, timestamp: 1 }] }),
  );
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'orders', 'service.instance.id': 'a-1', 'host.arch': 'x64' }),
    readers: [exposition.reader],
    views: [
      { instrumentName: DURATION, instrumentType: InstrumentType.HISTOGRAM },
      {
        instrumentName: DURATION,
        instrumentType: InstrumentType.HISTOGRAM,
        name: `${DURATION}${NATIVE_HISTOGRAM_STREAM_SUFFIX}`,
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
      },
    ],
  });
  const orders = provider.getMeter('orders', '2.1.0');
  const billing = provider.getMeter('billing');
  orders.createCounter('orders', { description: 'Orders placed' }).add(3, { channel: 'web' });
  billing.createCounter('orders', { description: 'Orders placed' }).add(2, { channel: 'web' });
  orders.createUpDownCounter('queue.depth', { unit: '{items}', description: 'Items waiting' }).add(-4);
  orders
    .createObservableGauge('pool.usage', { unit: '1', description: 'Pool in use' })
    .addCallback((result) => result.observe(0.75, { 'pool.name': 'main "db"\\\n' }));
  const duration = orders.createHistogram(DURATION, { unit: 's', description: 'Duration of HTTP server requests' });
  for (const value of [0.002, 0.04, 0.04, 0.7, 12]) duration.record(value, { 'http.route': '/orders/:id' });
  orders.createHistogram('db.latency', { unit: 'By', description: 'Database payload' }).record(350);
  orders.createCounter('weird..name-with.dots', { description: 'Odd name' }).add(1, { '1st.key': 'x' });
  return { exposition, provider };
}

describe('PrometheusExposition', () => {
  let exposition: PrometheusExposition;
  let provider: MeterProvider;

  beforeAll(async () => ({ exposition, provider } = await realisticExposition()));
  afterAll(() => provider.shutdown());

  it('renders a text exposition that `promtool check metrics` finds clean', async () => {
    const text = await exposition.render();
    expect(text).toContain('http_server_request_duration_seconds_bucket{');
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: promtool.status, output: `${promtool.stdout}${promtool.stderr}` }).toEqual({
      status: 0,
      output: '',
    });
  });

  it('answers a scrape in the format negotiated, with its Content-Type', async () => {
    const openMetrics = await exposition.scrape('application/openmetrics-text;version=1.0.0', undefined);
    expect(openMetrics).toMatchObject({ status: 200, contentType: CONTENT_TYPES.openmetrics });
    expect(openMetrics.body).toContain(
      'orders_total{channel="web",otel_scope_name="orders",otel_scope_version="2.1.0"} 3 # {',
    );
    const protobuf = await exposition.scrape(undefined, 'protobuf');
    expect(protobuf).toMatchObject({ status: 200, contentType: CONTENT_TYPES.protobuf });
    expect(protobuf.body).toBeInstanceOf(Uint8Array);
    expect(await exposition.scrape('*/*', undefined)).toMatchObject({ status: 200, contentType: CONTENT_TYPES.text });
  });

  it('refuses an unknown ?format= with a 400 naming the formats', async () => {
    expect(await exposition.scrape(undefined, 'xml')).toEqual({
      status: 400,
      contentType: 'text/plain; charset=utf-8',
      body: 'Unknown format "xml": use ?format=text, ?format=openmetrics, ?format=protobuf, or none\n',
    });
  });
});
