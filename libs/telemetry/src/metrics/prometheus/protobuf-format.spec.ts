import { parse, Reader, type Type } from 'protobufjs';
import {
  exponentialHistogram,
  histogram,
  resourceMetrics,
  scope,
  SHOP_EXEMPLARS,
  shopMetrics,
} from '../../spec-support/resource-metrics';
import { collectFamilies } from './metric-families';
import { writeProtobuf } from './protobuf-format';

// prometheus/client_model io/prometheus/client/metrics.proto, the fields this exposition writes, with
// google.protobuf.Timestamp inlined: the reference the bytes are decoded with.
const METRICS_PROTO = `
syntax = "proto2";
package io.prometheus.client;
message LabelPair { optional string name = 1; optional string value = 2; }
enum MetricType { COUNTER = 0; GAUGE = 1; SUMMARY = 2; UNTYPED = 3; HISTOGRAM = 4; GAUGE_HISTOGRAM = 5; }
message Gauge { optional double value = 1; }
message Timestamp { optional int64 seconds = 1; optional int32 nanos = 2; }
message Exemplar { repeated LabelPair label = 1; optional double value = 2; optional Timestamp timestamp = 3; }
message Counter { optional double value = 1; optional Exemplar exemplar = 2; }
message Bucket { optional uint64 cumulative_count = 1; optional double upper_bound = 2; optional Exemplar exemplar = 3; }
message BucketSpan { optional sint32 offset = 1; optional uint32 length = 2; }
message Histogram {
  optional uint64 sample_count = 1; optional double sample_sum = 2; repeated Bucket bucket = 3;
  optional sint32 schema = 5; optional double zero_threshold = 6; optional uint64 zero_count = 7;
  repeated BucketSpan negative_span = 9; repeated sint64 negative_delta = 10;
  repeated BucketSpan positive_span = 12; repeated sint64 positive_delta = 13;
  repeated Exemplar exemplars = 16;
}
message Metric { repeated LabelPair label = 1; optional Gauge gauge = 2; optional Counter counter = 3; optional Histogram histogram = 7; }
message MetricFamily { optional string name = 1; optional string help = 2; optional MetricType type = 3; repeated Metric metric = 4; optional string unit = 5; }
`;
const MetricFamily = parse(METRICS_PROTO, { keepCase: true }).root.lookupType(
  'io.prometheus.client.MetricFamily',
) as Type;

/** Every `MetricFamily` of a delimited stream, as plain objects. */
function decode(bytes: Uint8Array): Array<Record<string, unknown>> {
  const reader = Reader.create(bytes);
  const families: Array<Record<string, unknown>> = [];
  while (reader.pos < reader.len) {
    families.push(MetricFamily.toObject(MetricFamily.decodeDelimited(reader), { longs: Number, enums: String }));
  }
  return families;
}

const SHOP = [
  { name: 'otel_scope_name', value: 'shop' },
  { name: 'otel_scope_version', value: '1.0' },
];
const ROUTE = { name: 'http_route', value: '/a"b\\c\nd' };
const exemplar = (trace: string, value: number, seconds: number, nanos = 0) => ({
  label: [
    { name: 'trace_id', value: trace.repeat(32) },
    { name: 'span_id', value: 'b7ad6b7169203331' },
  ],
  value,
  timestamp: { seconds, nanos },
});

describe('the Prometheus protobuf format', () => {
  it('writes delimited MetricFamily messages: counters, gauges, histograms with exemplars, native buckets, the resource', () => {
    expect(decode(writeProtobuf(collectFamilies(shopMetrics(), SHOP_EXEMPLARS)))).toEqual([
      {
        name: 'target_info',
        help: 'Target metadata',
        type: 'GAUGE',
        metric: [
          {
            label: [
              { name: 'service_name', value: 'shop' },
              { name: 'service_version', value: '1.2' },
            ],
            gauge: { value: 1 },
          },
        ],
      },
      {
        name: 'orders_total',
        help: 'Orders placed',
        type: 'COUNTER',
        metric: [
          {
            label: [{ name: 'channel', value: 'web' }, ...SHOP],
            counter: { value: 3, exemplar: exemplar('a', 1, 1_700_000_000, 500_000_000) },
          },
          { label: [{ name: 'channel', value: 'app' }, ...SHOP], counter: { value: 1 } },
          {
            label: [
              { name: 'channel', value: 'web' },
              { name: 'otel_scope_name', value: 'billing' },
            ],
            counter: { value: 5 },
          },
        ],
      },
      { name: 'queue_depth', help: 'Items waiting', type: 'GAUGE', metric: [{ label: SHOP, gauge: { value: -2 } }] },
      {
        name: 'cpu_utilization_ratio',
        help: 'CPU in use',
        type: 'GAUGE',
        unit: 'ratio',
        metric: [
          { label: [{ name: 'core', value: '0' }, ...SHOP], gauge: { value: NaN } },
          { label: [{ name: 'core', value: '1' }, ...SHOP], gauge: { value: Infinity } },
          { label: [{ name: 'core', value: '2' }, ...SHOP], gauge: { value: -Infinity } },
        ],
      },
      {
        name: 'http_server_request_duration_seconds',
        help: 'Request duration',
        type: 'HISTOGRAM',
        unit: 'seconds',
        metric: [
          {
            label: [ROUTE, ...SHOP],
            histogram: {
              sample_count: 2,
              sample_sum: 0.3,
              bucket: [
                { cumulative_count: 1, upper_bound: 0.1, exemplar: exemplar('d', 0.05, 1_700_000_001) },
                { cumulative_count: 2, upper_bound: 1, exemplar: exemplar('c', 0.25, 1_700_000_002) },
                { cumulative_count: 2, upper_bound: Infinity },
              ],
              // The exponential twin: OpenTelemetry buckets -5 and -3 at scale 0 are Prometheus buckets -4 and -2.
              schema: 0,
              zero_threshold: 1e-128,
              zero_count: 0,
              positive_span: [
                { offset: -4, length: 1 },
                { offset: 1, length: 1 },
              ],
              positive_delta: [1, 0],
              exemplars: [exemplar('c', 0.25, 1_700_000_002), exemplar('d', 0.05, 1_700_000_001)],
            },
          },
        ],
      },
      {
        name: 'payload_size_bytes',
        help: 'Payload size',
        type: 'HISTOGRAM',
        unit: 'bytes',
        metric: [
          {
            label: SHOP,
            // No classic stream: native only (OpenTelemetry buckets 0 and 1 are Prometheus buckets 1 and 2).
            histogram: {
              sample_count: 4,
              sample_sum: 8,
              schema: 0,
              zero_threshold: 1e-128,
              zero_count: 1,
              positive_span: [{ offset: 1, length: 2 }],
              positive_delta: [1, 1],
            },
          },
        ],
      },
    ]);
  });

  it('writes the specification’s example of spans and deltas, and clamps the scale to 8 by merging buckets', () => {
    const collection = resourceMetrics({}, [
      scope('s', undefined, [
        histogram({ name: 'rpc.duration', unit: 's' }, [[{}, { boundaries: [1], counts: [37, 0], sum: 100 }]]),
        exponentialHistogram({ name: 'rpc.duration.native', unit: 's' }, [
          [
            {},
            {
              count: 37,
              sum: 100,
              scale: 1,
              zeroCount: 0,
              positive: { offset: 3, bucketCounts: [10, 0, 0, 20, 5, 2] },
              negative: { offset: -1, bucketCounts: [3] },
            },
          ],
        ]),
        // Scale 10 to 8: buckets 0..3 are bucket 0, 4..7 bucket 1.
        exponentialHistogram({ name: 'fine', unit: '' }, [
          [
            {},
            {
              count: 6,
              sum: 7,
              scale: 10,
              zeroCount: 0,
              positive: { offset: 2, bucketCounts: [1, 2, 3] },
              negative: { offset: 0, bucketCounts: [] },
            },
          ],
        ]),
      ]),
    ]);
    const [rpc, fine] = decode(writeProtobuf(collectFamilies(collection)));
    expect(rpc).toMatchObject({
      name: 'rpc_duration_seconds',
      metric: [
        {
          histogram: {
            schema: 1,
            positive_span: [
              { offset: 4, length: 1 },
              { offset: 2, length: 3 },
            ],
            positive_delta: [10, 10, -15, -3],
            negative_span: [{ offset: 0, length: 1 }],
            negative_delta: [3],
          },
        },
      ],
    });
    expect(fine).toMatchObject({
      name: 'fine',
      metric: [{ histogram: { schema: 8, positive_span: [{ offset: 1, length: 2 }], positive_delta: [3, 0] } }],
    });
  });

  it('is empty for an empty registry', () => {
    expect(writeProtobuf(collectFamilies(resourceMetrics({}, [])))).toEqual(new Uint8Array());
  });
});
