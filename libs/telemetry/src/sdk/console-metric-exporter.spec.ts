import { type HrTime, ValueType } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type ResourceMetrics,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { captureDiagnostics, type CapturedDiagnostics } from '../spec-support/captured-diagnostics';
import { inEnv } from '../spec-support/with-env';
import type { ConsoleStream } from './console-document';
import {
  CONSOLE_RUNTIME_METRICS,
  ConsoleJsonMetricExporter,
  type ConsoleJsonMetricExporterOptions,
  RUNTIME_METRICS_SCOPE,
} from './console-metric-exporter';

class Captured implements ConsoleStream {
  readonly chunks: string[] = [];
  constructor(readonly isTTY: boolean) {}
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
}

// Nanoseconds past what a JS number holds exactly: the documents must keep every digit.
const START: HrTime = [1_665_632_818, 794_016_123];
const NOW: HrTime = [1_665_632_825, 58_633_001];
const RESOURCE = { 'service.name': 'health-api', 'telemetry.sdk.language': 'nodejs' };

const descriptor = (name: string, description: string, unit: string) => ({
  name,
  description,
  unit,
  valueType: ValueType.INT,
});

const HEALTHZ_COUNT: MetricData = {
  descriptor: descriptor('healthz_count', 'Number of /healthz requests', ''),
  aggregationTemporality: AggregationTemporality.CUMULATIVE,
  dataPointType: DataPointType.SUM,
  isMonotonic: true,
  dataPoints: [{ attributes: {}, startTime: START, endTime: NOW, value: 2 }],
};

const APP_SCOPE: ScopeMetrics = {
  scope: { name: 'health-api' },
  metrics: [
    HEALTHZ_COUNT,
    {
      descriptor: descriptor('http.server.request.duration', 'Duration of HTTP server requests', 's'),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: [
        {
          attributes: { 'http.route': '/healthz' },
          startTime: START,
          endTime: NOW,
          value: {
            buckets: { boundaries: [0.005, 0.01], counts: [1, 1, 0] },
            count: 2,
            sum: 0.012,
            min: 0.004,
            max: 0.008,
          },
        },
      ],
    },
    {
      descriptor: descriptor('queue.depth', 'Items waiting', '{item}'),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE,
      dataPoints: [{ attributes: { queue: 'a' }, startTime: START, endTime: NOW, value: 3.5 }],
    },
    {
      descriptor: descriptor('payload.size', 'Payload sizes', 'By'),
      aggregationTemporality: AggregationTemporality.DELTA,
      dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM,
      dataPoints: [
        {
          attributes: {},
          startTime: START,
          endTime: NOW,
          value: {
            count: 3,
            sum: 7,
            scale: 2,
            zeroCount: 1,
            positive: { offset: 4, bucketCounts: [1, 1] },
            negative: { offset: 0, bucketCounts: [] },
            min: 0,
            max: 4,
          },
        },
      ],
    },
  ],
};

const RUNTIME_SCOPE: ScopeMetrics = {
  scope: { name: RUNTIME_METRICS_SCOPE, version: '0.37.0' },
  metrics: [
    {
      descriptor: descriptor('nodejs.eventloop.utilization', 'Event loop utilization', '1'),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE,
      dataPoints: [{ attributes: {}, startTime: START, endTime: NOW, value: 0.01 }],
    },
  ],
};

const METRICS: ResourceMetrics = {
  resource: resourceFromAttributes(RESOURCE),
  scopeMetrics: [APP_SCOPE, RUNTIME_SCOPE],
};

/** What one export of `metrics` writes, and its result. */
function exportOnce(
  metrics: ResourceMetrics,
  options: ConsoleJsonMetricExporterOptions & { isTTY?: boolean } = {},
): { chunks: string[]; result: ExportResult | undefined } {
  const stream = new Captured(options.isTTY ?? false);
  let result: ExportResult | undefined;
  new ConsoleJsonMetricExporter({ stream, ...options }).export(metrics, (answer) => (result = answer));
  return { chunks: stream.chunks, result };
}

const scopeNames = (chunk: string | undefined): string[] =>
  (
    JSON.parse(chunk ?? '') as { resource_metrics: Array<{ scope_metrics: Array<{ scope: { name: string } }> }> }
  ).resource_metrics.flatMap((resource) => resource.scope_metrics.map((scope) => scope.scope.name));

describe('ConsoleJsonMetricExporter', () => {
  let diagnostics: CapturedDiagnostics;
  beforeEach(() => (diagnostics = captureDiagnostics()));
  afterEach(() => diagnostics.restore());

  it('writes each export as one JSON document on one line, in the shape of the Python SDK’s console metrics', () => {
    const { chunks, result } = exportOnce(METRICS);
    expect(result).toEqual({ code: ExportResultCode.SUCCESS });
    expect(chunks).toHaveLength(1);
    const [line] = chunks;
    expect(line?.endsWith('\n')).toBe(true);
    expect(line?.trimEnd()).not.toContain('\n');
    // Every digit of the nanoseconds, as a JSON integer: checked in the text, JSON.parse would round it.
    expect(line).toContain('"start_time_unix_nano":1665632818794016123,"time_unix_nano":1665632825058633001');
    // The same numbers as JSON.parse reads them.
    const point = {
      attributes: {},
      start_time_unix_nano: Number('1665632818794016123'),
      time_unix_nano: Number('1665632825058633001'),
    };
    expect(JSON.parse(line ?? '')).toEqual({
      resource_metrics: [
        {
          resource: { attributes: RESOURCE, schema_url: '' },
          scope_metrics: [
            {
              scope: { name: 'health-api', version: '', schema_url: '' },
              metrics: [
                {
                  name: 'healthz_count',
                  description: 'Number of /healthz requests',
                  unit: '',
                  data: { data_points: [{ ...point, value: 2 }], aggregation_temporality: 2, is_monotonic: true },
                },
                {
                  name: 'http.server.request.duration',
                  description: 'Duration of HTTP server requests',
                  unit: 's',
                  data: {
                    data_points: [
                      {
                        ...point,
                        attributes: { 'http.route': '/healthz' },
                        count: 2,
                        sum: 0.012,
                        bucket_counts: [1, 1, 0],
                        explicit_bounds: [0.005, 0.01],
                        min: 0.004,
                        max: 0.008,
                      },
                    ],
                    aggregation_temporality: 2,
                  },
                },
                {
                  name: 'queue.depth',
                  description: 'Items waiting',
                  unit: '{item}',
                  data: { data_points: [{ ...point, attributes: { queue: 'a' }, value: 3.5 }] },
                },
                {
                  name: 'payload.size',
                  description: 'Payload sizes',
                  unit: 'By',
                  data: {
                    data_points: [
                      {
                        ...point,
                        count: 3,
                        sum: 7,
                        scale: 2,
                        zero_count: 1,
                        positive: { offset: 4, bucket_counts: [1, 1] },
                        negative: { offset: 0, bucket_counts: [] },
                        flags: 0,
                        min: 0,
                        max: 4,
                      },
                    ],
                    aggregation_temporality: 1,
                  },
                },
              ],
              schema_url: '',
            },
          ],
          schema_url: '',
        },
      ],
    });
  });

  it('indents the document for a person on a terminal: the same JSON, without colour', () => {
    const piped = exportOnce(METRICS).chunks;
    const { chunks } = exportOnce(METRICS, { isTTY: true });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatch(/^\{\n {4}"resource_metrics": \[\n/);
    expect(chunks[0]).not.toContain('\u001b');
    expect(JSON.parse(chunks[0] ?? '')).toEqual(JSON.parse(piped[0] ?? ''));
  });

  it(`leaves the runtime metrics out unless ${CONSOLE_RUNTIME_METRICS}=true, and says nothing`, () => {
    expect(scopeNames(exportOnce(METRICS).chunks[0])).toEqual(['health-api']);
    expect(scopeNames(inEnv({ [CONSOLE_RUNTIME_METRICS]: 'false' }, () => exportOnce(METRICS)).chunks[0])).toEqual([
      'health-api',
    ]);
    expect(scopeNames(inEnv({ [CONSOLE_RUNTIME_METRICS]: 'true' }, () => exportOnce(METRICS)).chunks[0])).toEqual([
      'health-api',
      RUNTIME_METRICS_SCOPE,
    ]);
    expect(scopeNames(exportOnce(METRICS, { runtimeMetrics: true }).chunks[0])).toEqual([
      'health-api',
      RUNTIME_METRICS_SCOPE,
    ]);
    expect(diagnostics.warnings).toEqual([]);
  });

  it('filters the scope the runtime instrumentation really records under', () => {
    expect(new RuntimeNodeInstrumentation({ enabled: false }).instrumentationName).toBe(RUNTIME_METRICS_SCOPE);
  });

  it('writes nothing when only runtime metrics were collected, rather than an empty document every interval', () => {
    const runtimeOnly = { ...METRICS, scopeMetrics: [RUNTIME_SCOPE, { scope: { name: 'idle' }, metrics: [] }] };
    const { chunks, result } = exportOnce(runtimeOnly);
    expect(chunks).toEqual([]);
    expect(result).toEqual({ code: ExportResultCode.SUCCESS });
  });

  it('asks for cumulative temporality, as Python prints it, and refuses exports after shutdown', async () => {
    const stream = new Captured(false);
    const exporter = new ConsoleJsonMetricExporter({ stream });
    expect(exporter.selectAggregationTemporality()).toBe(AggregationTemporality.CUMULATIVE);
    await exporter.shutdown();
    let result: ExportResult | undefined;
    exporter.export(METRICS, (answer) => (result = answer));
    expect(result?.code).toBe(ExportResultCode.FAILED);
    expect(stream.chunks).toEqual([]);
  });
});
