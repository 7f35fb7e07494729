import { ExportResultCode } from '@opentelemetry/core';
import { BasicTracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { captureDiagnostics, type CapturedDiagnostics } from '../testing/captured-diagnostics';
import type { BatchLimits } from './batch-limits';
import { BoundedBatchSpanProcessor } from './bounded-batch-span-processor';
import { ExportLedger } from './export-ledger';

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

const LIMITS: BatchLimits = {
  maxQueueSize: 5,
  maxExportBatchSize: 5,
  scheduledDelayMillis: 100,
  exportTimeoutMillis: 1000,
};

describe('BoundedBatchSpanProcessor', () => {
  let diagnostics: CapturedDiagnostics;
  let ledger: ExportLedger;
  let exporter: BlackholeExporter;
  let provider: BasicTracerProvider;

  const endSpans = (count: number): void => {
    const tracer = provider.getTracer('test');
    for (let i = 0; i < count; i++) tracer.startSpan(`span ${i}`).end();
  };

  beforeEach(() => {
    jest.useFakeTimers();
    diagnostics = captureDiagnostics();
    ledger = new ExportLedger({
      items: 'spans',
      maxQueueSize: LIMITS.maxQueueSize,
      queueSizeVariable: 'OTEL_BSP_MAX_QUEUE_SIZE',
    });
    exporter = new BlackholeExporter();
    provider = new BasicTracerProvider({ spanProcessors: [new BoundedBatchSpanProcessor(exporter, LIMITS, ledger)] });
  });
  afterEach(() => {
    diagnostics.restore();
    jest.useRealTimers();
  });

  it('holds one batch in flight and one queue against a collector that never answers, and counts every other span', async () => {
    endSpans(1000);
    // One batch went to the exporter as soon as the queue held a batch; the queue filled again behind it.
    expect(exporter.received.map((batch) => batch.length)).toEqual([5]);
    expect(ledger.undelivered).toBe(10);
    expect(ledger.lost).toEqual({ queue_full: 990, export_failed: 0 });

    await jest.advanceTimersByTimeAsync(LIMITS.exportTimeoutMillis);
    // The silent export was given up on and counted; the queued batch went out in its place.
    expect(ledger.lost).toEqual({ queue_full: 990, export_failed: 5 });
    expect(exporter.received.map((batch) => batch.length)).toEqual([5, 5]);
    expect(ledger.undelivered).toBe(5);
  });

  it('accounts for every span in a few warnings with counts, and writes nothing of the SDK’s own', async () => {
    endSpans(1000);
    await jest.advanceTimersByTimeAsync(LIMITS.exportTimeoutMillis * 3);
    expect(diagnostics.warnings).toEqual([
      expect.stringMatching(/^1 spans not exported: 1 dropped because the queue was full/),
    ]);
    await jest.advanceTimersByTimeAsync(30_000);
    ledger.close();
    // The first loss at once, the rest summed at the end of the interval; the close finds nothing left.
    expect(diagnostics.warnings).toHaveLength(2);
    const reported = diagnostics.warnings.map((warning) => Number(/^(\d+) spans not exported/.exec(warning)?.[1]));
    expect(reported.reduce((sum, count) => sum + count, 0)).toBe(1000);
    expect(diagnostics.errors).toEqual([]);
  });

  it('ignores unsampled spans: they are not exported, and not losses', () => {
    const unsampled = new BasicTracerProvider({
      sampler: { shouldSample: () => ({ decision: 0 }), toString: () => 'never' },
      spanProcessors: [new BoundedBatchSpanProcessor(exporter, LIMITS, ledger)],
    });
    for (let i = 0; i < 100; i++) unsampled.getTracer('test').startSpan('x').end();
    expect(ledger.undelivered).toBe(0);
    expect(ledger.lost).toEqual({ queue_full: 0, export_failed: 0 });
  });

  it('exports what is queued on shutdown, and never rejects when that fails', async () => {
    const failing: SpanExporter = {
      export: (_spans, resultCallback) =>
        resultCallback({ code: ExportResultCode.FAILED, error: new Error('refused') }),
      shutdown: () => Promise.resolve(),
    };
    const processor = new BoundedBatchSpanProcessor(
      failing,
      { ...LIMITS, maxExportBatchSize: 5, maxQueueSize: 50 },
      ledger,
    );
    const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('test');
    for (let i = 0; i < 3; i++) tracer.startSpan('x').end();
    await expect(processor.shutdown()).resolves.toBeUndefined();
    expect(ledger.lost.export_failed).toBe(3);
    expect(diagnostics.errors).toEqual([]);
  });
});
