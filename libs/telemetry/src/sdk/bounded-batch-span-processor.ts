import { type Context, TraceFlags } from '@opentelemetry/api';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { AccountedExporter } from './accounted-exporter';
import type { BatchLimits } from './batch-limits';
import type { ExportLedger } from './export-ledger';

/** Longest timer Node.js accepts; a longer one fires at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** How much later than ours the batch processor's own export timeout fires, so that ours always wins. */
const TIMEOUT_MARGIN_MS = 1000;

/**
 * The SDK's `BatchSpanProcessor`, with every span it cannot deliver counted in `ledger` and reported
 * in a rate-limited warning, never dropped in silence:
 * - the ledger keeps the queue at `maxQueueSize` (the span that finds it full is counted as dropped),
 *   so the batch processor's own queue never fills and never drops without a count;
 * - each export is bounded by `exportTimeoutMillis`, so a collector that accepts and never answers
 *   holds at most one batch at a time, not a growing pile.
 * Memory is bounded by the queue plus the batch being exported, whatever the collector does.
 */
export class BoundedBatchSpanProcessor implements SpanProcessor {
  private readonly batch: BatchSpanProcessor;
  private closed = false;

  constructor(
    exporter: SpanExporter,
    limits: BatchLimits,
    private readonly ledger: ExportLedger,
  ) {
    const accounted = new AccountedExporter(
      exporter,
      ledger,
      Math.min(limits.exportTimeoutMillis, MAX_TIMEOUT_MS - TIMEOUT_MARGIN_MS),
    );
    this.batch = new BatchSpanProcessor(accounted, {
      ...limits,
      // The batch processor's timeout would log an error per batch; ours ends the export first.
      exportTimeoutMillis: Math.min(limits.exportTimeoutMillis + TIMEOUT_MARGIN_MS, MAX_TIMEOUT_MS),
    });
  }

  onStart(span: Span, parentContext: Context): void {
    this.batch.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    // The batch processor ignores unsampled spans and any span after shutdown: neither is a loss.
    if (this.closed || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.ledger.admit()) this.batch.onEnd(span);
  }

  /** Never rejects: a failed export is counted and reported by the ledger. */
  forceFlush(): Promise<void> {
    return this.batch.forceFlush().catch(() => undefined);
  }

  /** Exports what is queued; never rejects (see `forceFlush`). */
  shutdown(): Promise<void> {
    this.closed = true;
    return this.batch.shutdown().catch(() => undefined);
  }
}
