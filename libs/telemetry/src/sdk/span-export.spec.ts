import { ExportResultCode } from '@opentelemetry/core';
import {
  TracerProvider,
  NoopSpanProcessor,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { captureDiagnostics, type CapturedDiagnostics } from '../spec-support/captured-diagnostics';
import { inEnv } from '../spec-support/with-env';
import { readOtlpProtocol } from './env';
import { AccountedBatchSpanProcessor, createSpanExport, readBatchLimits } from './span-export';

/** The exporter names `createSpanExport` chose, from the processors it made. */
function tracesExporters(env: Record<string, string>): string[] {
  const { processors } = inEnv(env, createSpanExport);
  void Promise.all(processors.map((processor) => processor.shutdown()));
  return processors.map((processor) =>
    processor instanceof AccountedBatchSpanProcessor
      ? 'otlp'
      : processor instanceof SimpleSpanProcessor
        ? 'console'
        : 'none',
  );
}

/** A collector that accepts every export and never answers. */
class BlackholeExporter implements SpanExporter {
  readonly received: ReadableSpan[][] = [];
  export(spans: ReadableSpan[]): void {
    this.received.push(spans);
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const LIMITS = {
  OTEL_BSP_MAX_QUEUE_SIZE: '5',
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '5',
  OTEL_BSP_SCHEDULE_DELAY: '100',
  OTEL_BSP_EXPORT_TIMEOUT: '600000',
};

describe('AccountedBatchSpanProcessor', () => {
  let diagnostics: CapturedDiagnostics;
  let exporter: BlackholeExporter;
  let processor: AccountedBatchSpanProcessor;
  let provider: TracerProvider;

  const endSpans = (count: number): void => {
    const tracer = provider.getTracer('test');
    for (let i = 0; i < count; i++) tracer.startSpan(`span ${i}`).end();
  };

  beforeEach(() => {
    jest.useFakeTimers();
    diagnostics = captureDiagnostics();
    exporter = new BlackholeExporter();
    processor = inEnv(LIMITS, () => new AccountedBatchSpanProcessor(exporter));
    provider = new TracerProvider({ spanProcessors: [processor] });
  });
  afterEach(() => {
    diagnostics.restore();
    jest.useRealTimers();
  });

  it('holds one batch in flight and one queue against a collector that never answers, and counts every other span', () => {
    endSpans(1000);
    // One batch went to the exporter as soon as the queue held a batch; the queue filled again behind it.
    expect(exporter.received.map((batch) => batch.length)).toEqual([5]);
    expect(processor.counts).toEqual({
      queued: 5,
      exported: 0,
      lost: { queue_full: 990, export_failed: 0, shutdown: 0 },
    });
  });

  it('accounts for every span in a few warnings with counts, and writes nothing of the SDK’s own', async () => {
    endSpans(1000);
    expect(diagnostics.warnings).toEqual([
      expect.stringMatching(
        /^1 spans not exported: 1 dropped because the queue was full \(OTEL_BSP_MAX_QUEUE_SIZE=5\)/,
      ),
    ]);
    await jest.advanceTimersByTimeAsync(30_000);
    // Shutdown gave up waiting: the batch in flight and the queue behind it are lost, and said so.
    processor.close();
    expect(diagnostics.warnings).toHaveLength(3);
    const reported = diagnostics.warnings.map((warning) => Number(/^(\d+) spans not exported/.exec(warning)?.[1]));
    expect(reported.reduce((sum, count) => sum + count, 0)).toBe(1000);
    expect(diagnostics.warnings[2]).toMatch(/^10 spans not exported: 10 still queued or being exported when shutdown/);
    expect(diagnostics.errors).toEqual([]);
  });

  it('counts what is delivered, and each failed export by its spans', async () => {
    let fail = false;
    const flaky: SpanExporter = {
      export: (_spans, done) =>
        done(
          fail ? { code: ExportResultCode.FAILED, error: new Error('refused') } : { code: ExportResultCode.SUCCESS },
        ),
      shutdown: () => Promise.resolve(),
    };
    provider = new TracerProvider({
      spanProcessors: [(processor = inEnv(LIMITS, () => new AccountedBatchSpanProcessor(flaky)))],
    });
    endSpans(5);
    await jest.advanceTimersByTimeAsync(0);
    fail = true;
    endSpans(5);
    await jest.advanceTimersByTimeAsync(0);
    expect(processor.counts).toEqual({
      queued: 0,
      exported: 5,
      lost: { queue_full: 0, export_failed: 5, shutdown: 0 },
    });
    expect(diagnostics.warnings).toEqual([expect.stringContaining('5 lost to failed exports (last error: refused)')]);
  });

  it('counts each span once when shutdown gives up on exports that answer later', async () => {
    const answers: Array<() => void> = [];
    const late: SpanExporter = {
      export: (_spans, done) => void answers.push(() => done({ code: ExportResultCode.SUCCESS })),
      shutdown: () => Promise.resolve(),
    };
    provider = new TracerProvider({
      spanProcessors: [(processor = inEnv(LIMITS, () => new AccountedBatchSpanProcessor(late)))],
    });
    endSpans(8); // one batch of 5 in flight, 3 queued
    void processor.shutdown(); // the flush sends the 3 as well
    await jest.advanceTimersByTimeAsync(0);
    processor.close();
    answers.forEach((answer) => answer());
    await processor.forceFlush();
    expect(processor.counts).toEqual({
      queued: 0,
      exported: 0,
      lost: { queue_full: 0, export_failed: 0, shutdown: 8 },
    });
  });

  it('ignores unsampled spans: they are not exported, and not losses', () => {
    const unsampled = new TracerProvider({
      sampler: { shouldSample: () => ({ decision: 0 }), toString: () => 'never' },
      spanProcessors: [processor],
    });
    for (let i = 0; i < 100; i++) unsampled.getTracer('test').startSpan('x').end();
    expect(processor.counts).toEqual({
      queued: 0,
      exported: 0,
      lost: { queue_full: 0, export_failed: 0, shutdown: 0 },
    });
  });

  it('exports what is queued on shutdown, and never rejects when that fails', async () => {
    const failing: SpanExporter = {
      export: (_spans, done) => done({ code: ExportResultCode.FAILED, error: new Error('refused') }),
      shutdown: () => Promise.resolve(),
    };
    processor = inEnv({ ...LIMITS, OTEL_BSP_MAX_QUEUE_SIZE: '50' }, () => new AccountedBatchSpanProcessor(failing));
    const tracer = new TracerProvider({ spanProcessors: [processor] }).getTracer('test');
    for (let i = 0; i < 3; i++) tracer.startSpan('x').end();
    await expect(processor.shutdown()).resolves.toBeUndefined();
    expect(processor.counts.lost.export_failed).toBe(3);
    expect(diagnostics.errors).toEqual([]);
  });
});

describe('readBatchLimits', () => {
  let diagnostics: CapturedDiagnostics;
  beforeEach(() => (diagnostics = captureDiagnostics()));
  afterEach(() => diagnostics.restore());

  it('uses the specification defaults when nothing is set', () => {
    expect(inEnv({}, readBatchLimits)).toEqual({
      maxQueueSize: 2048,
      maxExportBatchSize: 512,
      scheduledDelayMillis: 5000,
      exportTimeoutMillis: 30_000,
    });
    expect(diagnostics.warnings).toEqual([]);
  });

  it('reads every OTEL_BSP_* variable', () => {
    expect(
      inEnv(
        {
          OTEL_BSP_MAX_QUEUE_SIZE: '100',
          OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '10',
          OTEL_BSP_SCHEDULE_DELAY: '0',
          OTEL_BSP_EXPORT_TIMEOUT: '250',
        },
        readBatchLimits,
      ),
    ).toEqual({ maxQueueSize: 100, maxExportBatchSize: 10, scheduledDelayMillis: 0, exportTimeoutMillis: 250 });
  });

  it.each(['-5', '0', 'abc', '1.5'])(
    'falls back to the default queue size for OTEL_BSP_MAX_QUEUE_SIZE=%s, with one warning',
    (value) => {
      expect(inEnv({ OTEL_BSP_MAX_QUEUE_SIZE: value }, readBatchLimits).maxQueueSize).toBe(2048);
      expect(diagnostics.warnings).toEqual([
        `OTEL_BSP_MAX_QUEUE_SIZE="${value}" is not a span count: expected an integer from 1 to 2147483647; using 2048`,
      ]);
    },
  );

  it('cuts the default batch to a smaller queue without a word', () => {
    expect(inEnv({ OTEL_BSP_MAX_QUEUE_SIZE: '100' }, readBatchLimits)).toMatchObject({
      maxQueueSize: 100,
      maxExportBatchSize: 100,
    });
    expect(diagnostics.warnings).toEqual([]);
  });

  it('leaves a batch set larger than the queue to the SDK, which cuts it with one warning', async () => {
    const env = { OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '600' };
    expect(inEnv(env, readBatchLimits).maxExportBatchSize).toBe(600);
    await inEnv(env, () => new AccountedBatchSpanProcessor(new BlackholeExporter())).shutdown();
    expect(diagnostics.warnings).toEqual([
      expect.stringContaining('maxExportBatchSize must be smaller or equal to maxQueueSize'),
    ]);
  });
});

describe('trace exporter selection', () => {
  let diagnostics: CapturedDiagnostics;
  beforeEach(() => (diagnostics = captureDiagnostics()));
  afterEach(() => diagnostics.restore());

  it('exports nothing when nothing is configured, so no collector means no export errors', () => {
    expect(tracesExporters({})).toEqual(['none']);
  });

  it.each(['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'])(
    'exports OTLP when %s is set',
    (name) => {
      expect(tracesExporters({ [name]: 'http://127.0.0.1:4318' })).toEqual(['otlp']);
    },
  );

  it('follows OTEL_TRACES_EXPORTER, case and spaces aside, without repeats', () => {
    expect(tracesExporters({ OTEL_TRACES_EXPORTER: ' Console , otlp,console' })).toEqual(['console', 'otlp']);
    expect(diagnostics.warnings).toEqual([]);
  });

  it('drops unknown exporters with one warning naming the variable, the value and the supported ones', () => {
    expect(tracesExporters({ OTEL_TRACES_EXPORTER: 'jaeger,console' })).toEqual(['console']);
    expect(diagnostics.warnings).toHaveLength(1);
    expect(diagnostics.warnings[0]).toContain('OTEL_TRACES_EXPORTER="jaeger,console"');
    expect(diagnostics.warnings[0]).toContain('supported: otlp, console, none');
  });

  it('falls back to none when every name is unknown', () => {
    expect(tracesExporters({ OTEL_TRACES_EXPORTER: 'bogus' })).toEqual(['none']);
    expect(diagnostics.warnings).toHaveLength(1);
  });

  it('reads the OTLP protocol, the traces-specific variable first', () => {
    expect(readOtlpProtocol('TRACES')).toBe('http/protobuf');
    expect(inEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, () => readOtlpProtocol('TRACES'))).toBe('http/json');
    const both = { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' };
    expect(inEnv(both, () => readOtlpProtocol('TRACES'))).toBe('grpc');
  });

  it('falls back to http/protobuf for an unknown protocol, with one warning', () => {
    expect(inEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon' }, () => readOtlpProtocol('TRACES'))).toBe(
      'http/protobuf',
    );
    expect(diagnostics.warnings).toEqual([expect.stringContaining('OTEL_EXPORTER_OTLP_PROTOCOL="carrier-pigeon"')]);
  });

  it('prints each console span as it ends, as one JSON document in the Python SDK’s shape', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const { processors } = inEnv({ OTEL_TRACES_EXPORTER: 'console' }, createSpanExport);
      const provider = new TracerProvider({ spanProcessors: processors });
      provider.getTracer('spec').startSpan('printed').end();
      await provider.shutdown();
      expect(write).toHaveBeenCalledTimes(1);
      expect(JSON.parse(String(write.mock.calls[0]?.[0]))).toMatchObject({
        name: 'printed',
        kind: 'SpanKind.INTERNAL',
        parent_id: null,
        status: { status_code: 'UNSET' },
      });
    } finally {
      write.mockRestore();
    }
  });

  it('batches OTLP with an account of every span, prints console spans as they end, and keeps a no-op processor for none', async () => {
    const { processors, batched } = inEnv(
      {
        OTEL_TRACES_EXPORTER: 'otlp,console',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      },
      createSpanExport,
    );
    expect(processors.map((processor) => processor.constructor)).toEqual([
      AccountedBatchSpanProcessor,
      SimpleSpanProcessor,
    ]);
    expect(batched[0]?.counts.lost).toEqual({ queue_full: 0, export_failed: 0, shutdown: 0 });
    const none = inEnv({ OTEL_TRACES_EXPORTER: 'none' }, createSpanExport);
    expect(none.processors.map((processor) => processor.constructor)).toEqual([NoopSpanProcessor]);
    expect(none.batched).toEqual([]);
    await Promise.all(processors.map((processor) => processor.shutdown()));
  });
});
