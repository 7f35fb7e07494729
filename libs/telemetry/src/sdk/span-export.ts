import { type Context, diag, type Meter, TraceFlags } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  BatchSpanProcessor,
  type BatchSpanProcessorOptions,
  NoopSpanProcessor,
  type ReadableSpan,
  SimpleSpanProcessor,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { describeError, DIAGNOSTIC_INTERVAL_MS, ThrottledLine } from './export-diagnostics';
import { ConsoleJsonSpanExporter } from './console-span-exporter';
import { hasOtlpEndpoint, MAX_INT32, readEnvNumber, readEnvOr, readExporterNames } from './env';
import { createOtlpSpanExporter } from './otlp-exporters';

export const SUPPORTED_TRACES_EXPORTERS = ['otlp', 'console', 'none'] as const;

/**
 * Why a span was not exported: no room in the queue, its export failed, or it was still queued or being
 * exported when shutdown gave up waiting.
 */
export type LossReason = 'queue_full' | 'export_failed' | 'shutdown';
const LOSS_REASONS: readonly LossReason[] = ['queue_full', 'export_failed', 'shutdown'];

/** The span processors the configuration asks for, and those of them that batch (each with its account). */
export interface SpanExport {
  processors: SpanProcessor[];
  batched: AccountedBatchSpanProcessor[];
}

/**
 * Span processors for `OTEL_TRACES_EXPORTER`: batched OTLP (bounded by `OTEL_BSP_*`, every lost span
 * counted), console spans printed as each ends, one JSON document each (like the Python getting-started),
 * or none. Unlike the
 * SDK's default (`otlp`), unset means `otlp` only when an OTLP endpoint is set, so that a developer
 * without a collector sees no export errors. With `none` a no-op processor is still registered, so
 * that spans keep real ids for log correlation and propagation.
 */
export function createSpanExport(): SpanExport {
  const fallback = hasOtlpEndpoint('TRACES') ? 'otlp' : 'none';
  const batched: AccountedBatchSpanProcessor[] = [];
  const processors = readExporterNames('OTEL_TRACES_EXPORTER', SUPPORTED_TRACES_EXPORTERS, fallback).flatMap(
    (name): SpanProcessor[] => {
      if (name === 'otlp') return [withPush(batched, new AccountedBatchSpanProcessor(createOtlpSpanExporter()))];
      if (name === 'console') return [new SimpleSpanProcessor({ exporter: new ConsoleJsonSpanExporter() })];
      return [];
    },
  );
  return { processors: processors.length > 0 ? processors : [new NoopSpanProcessor()], batched };
}

function withPush<T>(list: T[], item: T): T {
  list.push(item);
  return item;
}

const DEFAULT_BATCH_SIZE = 512;

/**
 * `OTEL_BSP_*`, with the specification's defaults. Read here rather than by the SDK, which would take
 * `-5` as a queue size and drop every span without a word: a bad value is one warning naming it, and
 * the default. The default batch is cut to a smaller queue without a word (setting only the queue size
 * is reasonable); a batch size set larger than the queue is left to the SDK's own warning and cut.
 */
export type BatchLimits = Required<
  Omit<BatchSpanProcessorOptions, 'selfObsMeterProvider' | 'exporter' | 'disableAutoFlushOnDocumentHide'>
>;

export function readBatchLimits(): BatchLimits {
  const read = (name: string, min: number, fallback: number, noun: string): number | undefined =>
    readEnvOr(() => readEnvNumber(name, { min, max: MAX_INT32, noun }), undefined, `using ${fallback}`);
  const maxQueueSize = read('OTEL_BSP_MAX_QUEUE_SIZE', 1, 2048, 'a span count') ?? 2048;
  const batchSize = read('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 1, DEFAULT_BATCH_SIZE, 'a span count');
  return {
    maxQueueSize,
    maxExportBatchSize: batchSize ?? Math.min(DEFAULT_BATCH_SIZE, maxQueueSize),
    scheduledDelayMillis: read('OTEL_BSP_SCHEDULE_DELAY', 0, 5000, 'a duration in milliseconds') ?? 5000,
    exportTimeoutMillis: read('OTEL_BSP_EXPORT_TIMEOUT', 1, 30_000, 'a duration in milliseconds') ?? 30_000,
  };
}

/**
 * The SDK's `BatchSpanProcessor`, with every span it is given accounted for until it is exported or
 * lost, and every loss counted and reported in one warning per interval at most, never in silence:
 * - it keeps the queue at `maxQueueSize` itself (the span that finds it full is counted as dropped),
 *   so the SDK's queue never drops without a count;
 * - an export that fails counts its spans, and is reported to the SDK as done: the SDK's only use of a
 *   failure is an error line with a stack trace per batch;
 * - at shutdown, whatever the flush could not deliver in time (`close()`) is counted.
 * Counted in plain integers, read when metrics are collected: nothing is recorded per span.
 */
export class AccountedBatchSpanProcessor implements SpanProcessor {
  readonly maxQueueSize: number;
  private readonly batch: BatchSpanProcessor;
  private queued = 0;
  private exported = 0;
  /** The exports under way, each settled once: by its exporter's answer or by `close()`. */
  private readonly inFlight = new Set<{ count: number; settle(error?: unknown): void }>();
  private readonly lostSinceStart = noLosses();
  private lostSinceWarning = noLosses();
  private lastError = '';
  private closed = false;
  private stopped = false;
  private readonly warning = new ThrottledLine(() => this.writeWarning());

  /**
   * @param limits `OTEL_BSP_*` unless given (a configuration file's batch processor gives its own).
   * @param queueSetting what the loss warning names as the queue's bound.
   */
  constructor(
    exporter: SpanExporter,
    limits: BatchLimits = readBatchLimits(),
    private readonly queueSetting = 'OTEL_BSP_MAX_QUEUE_SIZE',
  ) {
    this.maxQueueSize = limits.maxQueueSize;
    this.batch = new BatchSpanProcessor({ exporter: this.accounted(exporter), ...limits });
  }

  /** Spans in the queue; exported; failed in the exporter; lost since start, by reason. */
  get counts(): { queued: number; exported: number; lost: Readonly<Record<LossReason, number>> } {
    return { queued: this.queued, exported: this.exported, lost: this.lostSinceStart };
  }

  onStart(span: Span, parentContext: Context): void {
    this.batch.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    // The batch processor ignores unsampled spans and any span after shutdown: neither is a loss.
    if (this.closed || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queued >= this.maxQueueSize) return this.lose('queue_full', 1);
    this.queued += 1;
    this.batch.onEnd(span);
  }

  /** Never rejects: a failed export is counted and reported here. */
  forceFlush(): Promise<void> {
    return this.batch.forceFlush().catch(() => undefined);
  }

  /** Exports what is queued; never rejects (see `forceFlush`). */
  shutdown(): Promise<void> {
    this.closed = true;
    return this.batch.shutdown().catch(() => undefined);
  }

  /**
   * Export has stopped (telemetry shut down, or gave up waiting for it): whatever is still queued or
   * being exported is lost, and the last warning is written. Later answers and exports are not counted.
   */
  close(): void {
    this.closed = this.stopped = true;
    let undelivered = this.queued;
    for (const pending of this.inFlight) {
      undelivered += pending.count;
      pending.settle(CLOSED);
    }
    this.queued = 0;
    if (undelivered > 0) this.lose('shutdown', undelivered);
    this.warning.close();
  }

  /** The exporter as the batch processor sees it: every export accounted for, and reported as done. */
  private accounted(exporter: SpanExporter): SpanExporter {
    return {
      export: (spans: ReadableSpan[], done: (result: ExportResult) => void): void => {
        if (this.stopped) return done({ code: ExportResultCode.SUCCESS }); // counted as lost by close()
        const count = spans.length;
        let settled = false;
        const settle = (error?: unknown): void => {
          if (settled) return;
          settled = true;
          this.inFlight.delete(pending);
          if (error === undefined) this.exported += count;
          else if (error !== CLOSED) {
            this.lastError = describeError(error);
            this.lose('export_failed', count);
          }
          done({ code: ExportResultCode.SUCCESS });
        };
        const pending = { count, settle };
        this.queued -= count;
        this.inFlight.add(pending);
        try {
          exporter.export(spans, (result) =>
            settle(result.code === ExportResultCode.SUCCESS ? undefined : (result.error ?? new Error('export failed'))),
          );
        } catch (error) {
          settle(error);
        }
      },
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    };
  }

  private lose(reason: LossReason, count: number): void {
    this.lostSinceStart[reason] += count;
    this.lostSinceWarning[reason] += count;
    this.warning.notify();
  }

  private writeWarning(): void {
    const { queue_full: dropped, export_failed: failed, shutdown } = this.lostSinceWarning;
    const causes = [
      ...(dropped > 0
        ? [`${dropped} dropped because the queue was full (${this.queueSetting}=${this.maxQueueSize})`]
        : []),
      ...(failed > 0 ? [`${failed} lost to failed exports (last error: ${this.lastError})`] : []),
      ...(shutdown > 0 ? [`${shutdown} still queued or being exported when shutdown gave up waiting`] : []),
    ];
    diag.warn(
      `${total(this.lostSinceWarning)} spans not exported: ${causes.join('; ')}. ` +
        `${total(this.lostSinceStart)} since start; at most one such warning every ${DIAGNOSTIC_INTERVAL_MS / 1000} s`,
    );
    this.lostSinceWarning = noLosses();
  }
}

/** What `close()` settles an export with: its spans are counted as lost to shutdown, not as failed. */
const CLOSED = Symbol('closed');

function noLosses(): Record<LossReason, number> {
  return { queue_full: 0, export_failed: 0, shutdown: 0 };
}

function total(losses: Record<LossReason, number>): number {
  return losses.queue_full + losses.export_failed + losses.shutdown;
}

/**
 * The account of batched span export on `/metrics`, under the names of the SDK's own self-observability
 * metrics (semantic conventions `otel.sdk.*`), every series from 0 so that `increase()` works from the
 * first scrape: an alert can watch what the warning says.
 */
export function observeSpanExport(meter: Meter, processors: readonly AccountedBatchSpanProcessor[]): void {
  if (processors.length === 0) return;
  const processed = meter.createObservableCounter('otel.sdk.processor.span.processed', {
    description: 'Spans whose processing has finished: exported, or lost (error.type says why)',
    unit: '{span}',
  });
  const exported = meter.createObservableCounter('otel.sdk.exporter.span.exported', {
    description: 'Spans the exporter has sent, successfully or not (error.type)',
    unit: '{span}',
  });
  const queueSize = meter.createObservableUpDownCounter('otel.sdk.processor.span.queue.size', {
    description: 'Spans waiting in the export queue',
    unit: '{span}',
  });
  const queueCapacity = meter.createObservableUpDownCounter('otel.sdk.processor.span.queue.capacity', {
    description: 'Spans the export queue can hold (OTEL_BSP_MAX_QUEUE_SIZE)',
    unit: '{span}',
  });
  meter.addBatchObservableCallback(
    (result) =>
      processors.forEach((processor, index) => {
        // The semantic conventions' name for the n-th of its type: a configuration file can declare several.
        const component = {
          'otel.component.type': 'batching_span_processor',
          'otel.component.name': `batching_span_processor/${index}`,
        };
        const { queued, exported: sent, lost } = processor.counts;
        result.observe(processed, sent, component);
        for (const reason of LOSS_REASONS)
          result.observe(processed, lost[reason], { ...component, 'error.type': reason });
        result.observe(exported, sent, component);
        result.observe(exported, lost.export_failed, { ...component, 'error.type': 'export_failed' });
        result.observe(queueSize, queued, component);
        result.observe(queueCapacity, processor.maxQueueSize, component);
      }),
    [processed, exported, queueSize, queueCapacity],
  );
}
