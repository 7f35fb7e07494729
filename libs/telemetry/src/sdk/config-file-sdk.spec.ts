import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import type { ConfigurationModel } from '@opentelemetry/configuration';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NoopSpanProcessor, ParentBasedSampler, SamplingDecision, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { createFileSdkConfig } from './config-file-sdk';
import { AccountedBatchSpanProcessor } from './span-export';

const BASE = resourceFromAttributes({ 'service.name': 'from-code', 'host.name': 'box' });
const OTLP = { otlp_http: { endpoint: 'http://127.0.0.1:9/v1/traces', encoding: 'json' as const } };

function sample(config: ReturnType<typeof createFileSdkConfig>, traceId: string): SamplingDecision {
  return config.sampler.shouldSample(ROOT_CONTEXT, traceId, 'GET', SpanKind.SERVER, {}, []).decision;
}

describe('createFileSdkConfig', () => {
  it("puts the file's resource attributes over ours, and keeps its schema URL", () => {
    const config = createFileSdkConfig(
      {
        resource: {
          attributes: [{ name: 'service.name', value: 'from-file' }],
          attributes_list: 'deployment.environment.name=staging',
          schema_url: 'https://opentelemetry.io/schemas/1.37.0',
        },
      },
      BASE,
    );
    expect(config.resource.attributes).toMatchObject({
      'service.name': 'from-file',
      'host.name': 'box',
      'deployment.environment.name': 'staging',
    });
    expect(config.resource.schemaUrl).toBe('https://opentelemetry.io/schemas/1.37.0');
  });

  it('wraps each batch processor in our accounted one, with the batch limits of the file', () => {
    const config = createFileSdkConfig(
      {
        tracer_provider: {
          processors: [
            { batch: { exporter: OTLP, max_queue_size: 64, schedule_delay: 100 } },
            { simple: { exporter: { console: {} } } },
            { batch: { exporter: OTLP } },
          ],
        },
      },
      BASE,
    );
    const [first, simple, second] = config.spanExport.processors;
    expect(first).toBeInstanceOf(AccountedBatchSpanProcessor);
    expect(simple).toBeInstanceOf(SimpleSpanProcessor);
    expect(config.spanExport.batched).toEqual([first, second]);
    expect(config.spanExport.batched.map((processor) => processor.maxQueueSize)).toEqual([64, 2048]);
  });

  it('keeps a no-op span processor without tracer_provider, so that spans keep real ids', () => {
    const config = createFileSdkConfig({}, BASE);
    expect(config.spanExport).toEqual({ processors: [expect.any(NoopSpanProcessor)], batched: [] });
    expect(config.sampler).toBeInstanceOf(ParentBasedSampler);
  });

  it("builds the file's sampler: a ratio of 0 under parent_based drops root spans", () => {
    const config = createFileSdkConfig(
      {
        tracer_provider: {
          processors: [],
          sampler: { parent_based: { root: { trace_id_ratio_based: { ratio: 0 } } } },
        },
      },
      BASE,
    );
    expect(sample(config, 'f'.repeat(32))).toBe(SamplingDecision.NOT_RECORD);
    const sampledParent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    expect(config.sampler.shouldSample(sampledParent, 'a'.repeat(32), 'GET', SpanKind.SERVER, {}, []).decision).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
  });

  it('uses no propagator when the file names none, and those it names otherwise', () => {
    expect(createFileSdkConfig({}, BASE).propagator).toBeNull();
    const config = createFileSdkConfig(
      { propagator: { composite: [{ tracecontext: null }], composite_list: 'b3multi' } },
      BASE,
    );
    expect(config.propagator?.fields()).toEqual(expect.arrayContaining(['traceparent', 'x-b3-traceid']));
  });

  it('serves a Prometheus pull exporter through our exposition, on its port when it names one', () => {
    const pull = (options: object) =>
      createFileSdkConfig(
        { meter_provider: { readers: [{ pull: { exporter: { 'prometheus/development': options } } }] } },
        BASE,
      );
    expect(pull({}).prometheus).toEqual({ host: undefined, port: undefined });
    expect(pull({ host: '127.0.0.1', port: 9464 }).prometheus).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(createFileSdkConfig({}, BASE).prometheus).toBeUndefined();
  });

  it('gives a periodic reader its interval, its timeout within it, and the views of the file', () => {
    const config = createFileSdkConfig(
      {
        meter_provider: {
          readers: [{ periodic: { interval: 1000, exporter: { console: {} } } }],
          views: [{ selector: { instrument_name: 'orders.latency' }, stream: { aggregation: { drop: {} } } }],
        },
      },
      BASE,
    );
    expect(config.pushMetricReaders).toEqual([
      expect.objectContaining({ exportIntervalMillis: 1000, exportTimeoutMillis: 1000 }),
    ]);
    expect(config.views).toEqual([expect.objectContaining({ instrumentName: 'orders.latency' })]);
  });

  it('lists the settings it does not apply, by path', () => {
    const model = {
      tracer_provider: { processors: [], id_generator: { random: {} } },
      meter_provider: { readers: [], exemplar_filter: 'always_on' },
    } as ConfigurationModel;
    expect(createFileSdkConfig(model, BASE).notApplied).toEqual([
      '/tracer_provider/id_generator',
      '/meter_provider/exemplar_filter',
    ]);
  });

  it.each([
    [
      { tracer_provider: { processors: [{ batch: { exporter: { zipkin: {} } } }] } },
      '/tracer_provider/processors/0/batch/exporter: span exporter "zipkin" is not supported (supported: otlp_http, otlp_grpc, console)',
    ],
    [
      { tracer_provider: { processors: [{ batch: { exporter: OTLP, export_timeout: 0 } }] } },
      '/tracer_provider/processors/0/batch/export_timeout: 0 (no limit) is not supported; give a number of milliseconds',
    ],
    [{ propagator: { composite: [{ xray: null }] } }, '/propagator: "xray" is not supported'],
    [
      { tracer_provider: { processors: [], sampler: { always_on: null, always_off: null } } },
      '/tracer_provider/sampler: expected exactly one entry, found always_on, always_off',
    ],
  ] as Array<[ConfigurationModel, string]>)('refuses what the SDK would refuse, saying where: %j', (model, message) => {
    expect(() => createFileSdkConfig(model, BASE)).toThrow(message);
  });
});
