import { type Attributes, type HrTime, ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type ExponentialHistogram,
  type MetricData,
  type ResourceMetrics,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import type { Exemplar } from '../metrics/exemplars';
import type { ExemplarLookup } from '../metrics/prometheus/metric-families';

/**
 * Collections written by hand, as the SDK would hand them to a reader: what the exposition specs render
 * into golden outputs, so that each is checked against the formats' specifications, not against the SDK.
 */
const AT: HrTime = [1_700_000_000, 0];

interface Stream {
  name: string;
  description?: string;
  unit?: string;
}

export function resourceMetrics(resource: Attributes, scopeMetrics: ScopeMetrics[]): ResourceMetrics {
  return { resource: resourceFromAttributes(resource), scopeMetrics };
}

export function scope(name: string, version: string | undefined, metrics: MetricData[]): ScopeMetrics {
  return { scope: version === undefined ? { name } : { name, version }, metrics };
}

/** A cumulative sum: a counter when monotonic, an up-down counter otherwise. */
export function sum(stream: Stream, isMonotonic: boolean, points: Array<[Attributes, number]>): MetricData {
  return {
    descriptor: descriptor(stream),
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.SUM,
    isMonotonic,
    dataPoints: points.map(([attributes, value]) => ({ startTime: AT, endTime: AT, attributes, value })),
  };
}

export function gauge(stream: Stream, points: Array<[Attributes, number]>): MetricData {
  return {
    descriptor: descriptor(stream),
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.GAUGE,
    dataPoints: points.map(([attributes, value]) => ({ startTime: AT, endTime: AT, attributes, value })),
  };
}

export function histogram(
  stream: Stream,
  points: Array<[Attributes, { boundaries: number[]; counts: number[]; sum?: number }]>,
): MetricData {
  return {
    descriptor: descriptor(stream),
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints: points.map(([attributes, { boundaries, counts, sum }]) => ({
      startTime: AT,
      endTime: AT,
      attributes,
      value: { buckets: { boundaries, counts }, count: counts.reduce((total, count) => total + count, 0), sum },
    })),
  };
}

export function exponentialHistogram(stream: Stream, points: Array<[Attributes, ExponentialHistogram]>): MetricData {
  return {
    descriptor: descriptor(stream),
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM,
    dataPoints: points.map(([attributes, value]) => ({ startTime: AT, endTime: AT, attributes, value })),
  };
}

/** An exemplar lookup answering from a fixed table, keyed `scope/instrument/attributes as JSON`. */
export function fixedExemplars(table: Record<string, Exemplar[]>): ExemplarLookup {
  return (scopeName, instrument, attributes) => table[`${scopeName}/${instrument}/${JSON.stringify(attributes)}`] ?? [];
}

function descriptor({ name, description = '', unit = '' }: Stream): MetricData['descriptor'] {
  return { name, description, unit, valueType: ValueType.DOUBLE };
}

export const TRACE_A = 'a'.repeat(32);
export const TRACE_C = 'c'.repeat(32);
export const TRACE_D = 'd'.repeat(32);
export const SPAN = 'b7ad6b7169203331';

/**
 * A shop's collection, every case the exposition must handle in one: a counter in two scopes (one family),
 * an up-down counter, a gauge in `1` with NaN and ±Inf, a histogram with exemplars and a label value to
 * escape, its exponential twin (`.native`), an exponential histogram of its own, and the resource.
 */
export function shopMetrics(): ResourceMetrics {
  const route = { 'http.route': '/a"b\\c\nd' };
  return resourceMetrics({ 'service.name': 'shop', 'service.version': '1.2' }, [
    scope('shop', '1.0', [
      sum({ name: 'orders', description: 'Orders placed', unit: '{orders}' }, true, [
        [{ channel: 'web' }, 3],
        [{ channel: 'app' }, 1],
      ]),
      sum({ name: 'queue.depth', description: 'Items waiting', unit: '{items}' }, false, [[{}, -2]]),
      gauge({ name: 'cpu.utilization', description: 'CPU in use', unit: '1' }, [
        [{ core: '0' }, NaN],
        [{ core: '1' }, Infinity],
        [{ core: '2' }, -Infinity],
      ]),
      histogram({ name: 'http.server.request.duration', description: 'Request duration', unit: 's' }, [
        [route, { boundaries: [0.1, 1], counts: [1, 1, 0], sum: 0.3 }],
      ]),
      // 0.05 is in (2^-5, 2^-4], OpenTelemetry bucket -5; 0.25 in (2^-3, 2^-2], bucket -3.
      exponentialHistogram(
        { name: 'http.server.request.duration.native', description: 'Request duration', unit: 's' },
        [
          [
            route,
            {
              count: 2,
              sum: 0.3,
              scale: 0,
              zeroCount: 0,
              positive: { offset: -5, bucketCounts: [1, 0, 1] },
              negative: { offset: 0, bucketCounts: [] },
            },
          ],
        ],
      ),
      // One value of 0, one in (1, 2], two in (2, 4].
      exponentialHistogram({ name: 'payload.size', description: 'Payload size', unit: 'By' }, [
        [
          {},
          {
            count: 4,
            sum: 8,
            scale: 0,
            zeroCount: 1,
            positive: { offset: 0, bucketCounts: [1, 2] },
            negative: { offset: 0, bucketCounts: [] },
          },
        ],
      ]),
    ]),
    scope('billing', undefined, [
      sum({ name: 'orders', description: 'Orders billed', unit: '{orders}' }, true, [[{ channel: 'web' }, 5]]),
    ]),
  ]);
}

/** The shop's exemplars, newest first: the web orders' counter has one, the request histogram two. */
export const SHOP_EXEMPLARS: ExemplarLookup = fixedExemplars({
  'shop/orders/{"channel":"web"}': [{ traceId: TRACE_A, spanId: SPAN, value: 1, timestamp: 1_700_000_000.5 }],
  'shop/http.server.request.duration/{"http.route":"/a\\"b\\\\c\\nd"}': [
    { traceId: TRACE_C, spanId: SPAN, value: 0.25, timestamp: 1_700_000_002 },
    { traceId: TRACE_D, spanId: SPAN, value: 0.05, timestamp: 1_700_000_001 },
  ],
});
