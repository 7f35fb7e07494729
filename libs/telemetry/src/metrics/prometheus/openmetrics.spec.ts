import type { ExemplarSeries } from '../exemplars';
import { acceptsOpenMetrics, toOpenMetrics } from './openmetrics';

const TEXT = [
  '# HELP target_info Target metadata',
  '# TYPE target_info gauge',
  'target_info{service_name="api"} 1',
  '# HELP orders_total Orders placed',
  '# TYPE orders_total counter',
  'orders_total{channel="web",otel_scope_name="shop"} 3',
  'orders_total{channel="app",otel_scope_name="shop"} 1',
  '# HELP latency_seconds Latency',
  '# UNIT latency_seconds s',
  '# TYPE latency_seconds histogram',
  'latency_seconds_count{otel_scope_name="shop"} 2',
  'latency_seconds_sum{otel_scope_name="shop"} 0.3',
  'latency_seconds_bucket{otel_scope_name="shop",le="0.1"} 1',
  'latency_seconds_bucket{otel_scope_name="shop",le="0.5"} 2',
  'latency_seconds_bucket{otel_scope_name="shop",le="+Inf"} 2',
  '',
].join('\n');

const exemplar = (traceId: string, value: number) => ({
  traceId,
  spanId: 'b7ad6b7169203331',
  value,
  timestamp: 1700000000.5,
});

const SERIES: ExemplarSeries[] = [
  {
    scope: 'shop',
    family: 'orders',
    kind: 'counter',
    attributes: { channel: 'web' },
    exemplar: exemplar('a'.repeat(32), 1),
  },
  {
    scope: 'shop',
    family: 'latency_seconds',
    kind: 'histogram',
    attributes: {},
    exemplar: exemplar('c'.repeat(32), 0.25),
  },
  {
    scope: 'other',
    family: 'orders',
    kind: 'counter',
    attributes: { channel: 'app' },
    exemplar: exemplar('d'.repeat(32), 1),
  },
];

describe('toOpenMetrics', () => {
  const lines = toOpenMetrics(TEXT, SERIES).split('\n');

  it('names counter families without _total, keeps their samples, drops UNIT lines and ends with # EOF', () => {
    expect(lines).toContain('# HELP orders Orders placed');
    expect(lines).toContain('# TYPE orders counter');
    expect(lines.filter((line) => line.startsWith('# UNIT'))).toEqual([]);
    expect(lines.slice(-2)).toEqual(['# EOF', '']);
  });

  it('puts a counter’s exemplar on the sample of its series only (same attributes and scope)', () => {
    expect(lines).toContain(
      `orders_total{channel="web",otel_scope_name="shop"} 3 # {trace_id="${'a'.repeat(32)}",span_id="b7ad6b7169203331"} 1 1700000000.500`,
    );
    expect(lines).toContain('orders_total{channel="app",otel_scope_name="shop"} 1');
  });

  it('puts a histogram’s exemplar on the first bucket that holds its value, once', () => {
    const withExemplar = lines.filter((line) => line.includes('# {trace_id="c'));
    expect(withExemplar).toEqual([
      expect.stringMatching(/^latency_seconds_bucket\{otel_scope_name="shop",le="0\.5"\} 2 # /),
    ]);
  });

  it('keeps every sample of the text format', () => {
    const samples = (text: string) =>
      text
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => line.split(' # ')[0]);
    expect(samples(toOpenMetrics(TEXT, SERIES))).toEqual(samples(TEXT));
  });
});

describe('acceptsOpenMetrics', () => {
  it('sees Prometheus’s default Accept header, not plain text ones', () => {
    expect(
      acceptsOpenMetrics(
        'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      ),
    ).toBe(true);
    expect(acceptsOpenMetrics('text/plain')).toBe(false);
    expect(acceptsOpenMetrics(undefined)).toBe(false);
  });
});
