import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diag, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { CollectingReader } from '../spec-support/collecting-reader';
import { withEnv } from '../spec-support/with-env';
import { lazyInstrument } from '../metrics/lazy-instruments';
import { activeMetricStore } from '../metrics/metric-store';
import { PooledIdGenerator } from './pooled-id-generator';
import { startTelemetry } from './start-telemetry';
import { getStartedTelemetry } from '../state/started-telemetry';

const inMemory = () => [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })];

/** The warnings given to `diag` until `restore()` (the console shows them: see the e2e bad-input suite). */
function captureWarnings(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const spy = jest.spyOn(diag, 'warn').mockImplementation((message: string) => void lines.push(message));
  return { lines, restore: () => spy.mockRestore() };
}

describe('startTelemetry', () => {
  afterEach(() => getStartedTelemetry()?.shutdown());

  describe('who aggregates the library’s own instruments', () => {
    const scopeName = 'store-spec';

    it('its metric store by default, read by /metrics, until shutdown', async () => {
      startTelemetry({ spanProcessors: inMemory(), runtimeMetrics: false });
      expect(activeMetricStore()).toBeDefined();
      lazyInstrument(scopeName, 'counter', 'stored_events').add(3);
      expect(await getStartedTelemetry()?.appPortMetrics?.render()).toContain(
        'stored_events_total{otel_scope_name="store-spec"} 3',
      );
      await getStartedTelemetry()?.shutdown();
      expect(activeMetricStore()).toBeUndefined();
    });

    it('the SDK when a configuration file has views, which then apply to them', async () => {
      const directory = mkdtempSync(join(tmpdir(), 'store-spec-'));
      const file = join(directory, 'otel.yaml');
      writeFileSync(
        file,
        [
          "file_format: '1.0'",
          'meter_provider:',
          '  readers:',
          '    - pull:',
          '        exporter:',
          '          prometheus/development:',
          '  views:',
          '    - selector: { instrument_name: dropped_events }',
          '      stream: { aggregation: { drop: {} } }',
        ].join('\n'),
      );
      const restore = withEnv({ OTEL_CONFIG_FILE: file });
      try {
        startTelemetry({ spanProcessors: inMemory(), runtimeMetrics: false });
        expect(activeMetricStore()).toBeUndefined();
        lazyInstrument(scopeName, 'counter', 'dropped_events').add(1);
        lazyInstrument(scopeName, 'counter', 'kept_events').add(1);
        const text = (await getStartedTelemetry()?.appPortMetrics?.render()) ?? '';
        expect(text).toContain('kept_events_total{otel_scope_name="store-spec"} 1');
        expect(text).not.toContain('dropped_events');
      } finally {
        restore();
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it('nobody when no reader reads metrics (OTEL_METRICS_EXPORTER=none): the store is not made', () => {
      const restore = withEnv({ OTEL_METRICS_EXPORTER: 'none' });
      try {
        startTelemetry({ spanProcessors: inMemory(), runtimeMetrics: false });
        expect(getStartedTelemetry()?.appPortMetrics).toBeUndefined();
        expect(activeMetricStore()).toBeUndefined();
      } finally {
        restore();
      }
    });

    it('the SDK when the user brings a reader of their own (the store cannot join it), which then sees them', async () => {
      const reader = new CollectingReader();
      startTelemetry({ spanProcessors: inMemory(), runtimeMetrics: false, metricReaders: [reader] });
      expect(activeMetricStore()).toBeUndefined();
      lazyInstrument(scopeName, 'counter', 'sdk_events').add(2);
      const { resourceMetrics } = await reader.collect();
      const names = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics.map((m) => m.descriptor.name));
      expect(names).toContain('sdk_events');
      expect(await getStartedTelemetry()?.appPortMetrics?.render()).toContain(
        'sdk_events_total{otel_scope_name="store-spec"} 2',
      );
    });
  });

  it('puts Node.js runtime metrics on /metrics by default, named by Prometheus conventions', async () => {
    startTelemetry({ spanProcessors: inMemory() });
    let text = '';
    // The event-loop histogram needs a few of its 10 ms samples before it reports.
    for (let attempt = 0; attempt < 40 && !text.includes('nodejs_eventloop_delay_p99'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      text = (await getStartedTelemetry()?.appPortMetrics?.render()) ?? '';
    }
    expect(text).toContain('# TYPE nodejs_eventloop_delay_p99_seconds gauge');
    expect(text).toContain('# TYPE v8js_memory_heap_used_bytes gauge');
    expect(text).toContain('# TYPE nodejs_eventloop_utilization_ratio gauge');
  });

  it('leaves runtime metrics out with runtimeMetrics: false', async () => {
    startTelemetry({ spanProcessors: inMemory(), runtimeMetrics: false });
    const text = (await getStartedTelemetry()?.appPortMetrics?.render()) ?? '';
    expect(text).not.toContain('nodejs_eventloop');
    expect(text).not.toContain('v8js_');
  });

  it.each(['metrics', '/:name', '/metrics/', '/a*'])(
    'refuses the metrics path %p, naming the option and the value',
    (path) => {
      expect(() => startTelemetry({ metricsPath: path })).toThrow(
        `Invalid startTelemetry() option metricsPath="${path}": expected a path of plain segments, such as "/metrics"`,
      );
      expect(getStartedTelemetry()).toBeUndefined();
    },
  );

  it('returns the telemetry already started on a second call, warning that its options are not applied', () => {
    const first = startTelemetry({ spanProcessors: inMemory(), runtimeMetrics: false });
    const warnings = captureWarnings();
    expect(startTelemetry({ serviceName: 'other' })).toBe(first);
    warnings.restore();
    expect(warnings.lines).toEqual([
      'startTelemetry() was called again: telemetry is already started, these options are not applied',
    ]);
  });

  describe('with OTLP span export', () => {
    let restore: () => void;
    afterEach(() => restore());

    it('counts spans it could not export on /metrics, by reason, from 0', async () => {
      restore = withEnv({
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:9/v1/traces',
      });
      startTelemetry({ runtimeMetrics: false });
      const text = (await getStartedTelemetry()?.appPortMetrics?.render()) ?? '';
      // Under the names of the SDK's own self-observability metrics (semantic conventions otel.sdk.*).
      expect(text).toContain('# TYPE otel_sdk_processor_span_processed_total counter');
      for (const errorType of ['queue_full', 'export_failed', 'shutdown']) {
        expect(text).toMatch(
          new RegExp(`^otel_sdk_processor_span_processed_total\\{[^}]*error_type="${errorType}"[^}]*\\} 0$`, 'm'),
        );
      }
      expect(text).toMatch(/^otel_sdk_processor_span_queue_capacity\{[^}]*\} 2048$/m);
      expect(text).toMatch(/^otel_sdk_processor_span_queue_size\{[^}]*\} 0$/m);
      expect(text).toMatch(/^otel_sdk_exporter_span_exported_total\{[^}]*\} 0$/m);
    });
  });

  describe('with OTEL_EXPORTER_PROMETHEUS_PORT', () => {
    let restore: () => void;
    afterEach(() => restore());

    it('serves /metrics on that port and host, and not on the app’s port', async () => {
      restore = withEnv({ OTEL_EXPORTER_PROMETHEUS_PORT: '39464', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1' });
      startTelemetry({ spanProcessors: inMemory(), runtimeMetrics: false });
      expect(getStartedTelemetry()?.appPortMetrics).toBeUndefined();
      let response: Response | undefined;
      for (let attempt = 0; attempt < 50 && !response; attempt++) {
        response = await fetch('http://127.0.0.1:39464/metrics').catch(() => undefined);
        if (!response) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(response?.status).toBe(200);
      expect(response?.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await response?.text()).toContain('# TYPE target_info gauge');
      expect((await fetch('http://127.0.0.1:39464/other')).status).toBe(404);
    });

    it('asks for the bearer token there too when METRICS_BEARER_TOKEN is set', async () => {
      restore = withEnv({
        OTEL_EXPORTER_PROMETHEUS_PORT: '39465',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        METRICS_BEARER_TOKEN: 's3cret',
      });
      startTelemetry({ spanProcessors: inMemory(), runtimeMetrics: false });
      const scrape = (headers: Record<string, string>) => fetch('http://127.0.0.1:39465/metrics', { headers });
      let response: Response | undefined;
      for (let attempt = 0; attempt < 50 && !response; attempt++) {
        response = await scrape({}).catch(() => undefined);
        if (!response) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(response?.status).toBe(401);
      expect(response?.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect((await scrape({ authorization: 'Bearer wrong' })).status).toBe(401);
      const allowed = await scrape({ authorization: 'Bearer s3cret' });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('# TYPE target_info gauge');
    });

    it('falls back to the app’s port with one warning when the port is not a port', () => {
      restore = withEnv({ OTEL_EXPORTER_PROMETHEUS_PORT: 'ninety' });
      const warnings = captureWarnings();
      startTelemetry({ spanProcessors: inMemory(), runtimeMetrics: false });
      warnings.restore();
      expect(getStartedTelemetry()?.appPortMetrics).toBeDefined();
      expect(warnings.lines.filter((warning) => warning.includes('OTEL_EXPORTER_PROMETHEUS_PORT'))).toEqual([
        'OTEL_EXPORTER_PROMETHEUS_PORT="ninety" is not a TCP port: expected an integer from 1 to 65535; ' +
          "serving metrics on the app's own port instead",
      ]);
    });
  });
  describe('trace and span ids', () => {
    afterEach(() => jest.restoreAllMocks());

    it('come from the library’s pooled generator by default', () => {
      const spanIds = jest.spyOn(PooledIdGenerator.prototype, 'generateSpanId');
      startTelemetry({ spanProcessors: inMemory(), runtimeMetrics: false });
      trace.getTracer('ids-spec').startSpan('job').end();
      expect(spanIds).toHaveBeenCalledTimes(1);
    });

    it('come from the idGenerator option when it is given', () => {
      const exporter = new InMemorySpanExporter();
      startTelemetry({
        spanProcessors: [new SimpleSpanProcessor({ exporter })],
        runtimeMetrics: false,
        idGenerator: {
          generateTraceId: () => '0af7651916cd43dd8448eb211c80319c',
          generateSpanId: () => 'b7ad6b7169203331',
        },
      });
      trace.getTracer('ids-spec').startSpan('job').end();
      expect(exporter.getFinishedSpans().map((span) => span.spanContext())).toEqual([
        expect.objectContaining({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' }),
      ]);
    });
  });
});
