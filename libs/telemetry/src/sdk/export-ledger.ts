import { diag } from '@opentelemetry/api';
import { describeError } from './describe-error';
import { ThrottledWarning } from './throttled-warning';

export const LOSS_REASONS = ['queue_full', 'export_failed'] as const;
/** Why an item was not exported: no room in the queue, or its export failed (refused, reset, timed out, cut short at shutdown). */
export type LossReason = (typeof LOSS_REASONS)[number];

/** Shortest time between two loss warnings. */
export const DEFAULT_WARNING_INTERVAL_MS = 30_000;

export interface ExportLedgerOptions {
  /** What is exported, plural, for the warning: `spans`. */
  items: string;
  /** Capacity of the export queue. */
  maxQueueSize: number;
  /** The variable that sets it, named in the warning so that the reader knows what to raise. */
  queueSizeVariable: string;
  warningIntervalMs?: number;
}

/**
 * The account of every item handed to batch export: how many wait in the queue, how many are being
 * exported, and how many were lost, and why. It bounds the queue (an item that finds it full is
 * dropped and counted) and reports losses in one warning at most every `warningIntervalMs`, with
 * counts, instead of the SDK's silence (a full queue) or its error line with a stack trace per failed
 * batch (a collector down).
 */
export class ExportLedger {
  private queued = 0;
  private exporting = 0;
  private readonly lostSinceStart = zeroByReason();
  private lostSinceWarning = zeroByReason();
  private lastError = '';
  private closed = false;
  private readonly warning: ThrottledWarning;
  private readonly warningIntervalMs: number;

  constructor(private readonly options: ExportLedgerOptions) {
    this.warningIntervalMs = options.warningIntervalMs ?? DEFAULT_WARNING_INTERVAL_MS;
    this.warning = new ThrottledWarning(() => this.writeWarning(), this.warningIntervalMs);
  }

  /** Items lost since start, by reason (for `otel_spans_dropped_total`). */
  get lost(): Readonly<Record<LossReason, number>> {
    return this.lostSinceStart;
  }

  /** Items accepted and neither exported nor counted lost yet. */
  get undelivered(): number {
    return this.queued + this.exporting;
  }

  /** Takes one item into the queue if it has room; otherwise counts it as dropped and returns `false`. */
  admit(): boolean {
    if (this.closed) return false;
    if (this.queued >= this.options.maxQueueSize) {
      this.lose('queue_full', 1);
      return false;
    }
    this.queued += 1;
    return true;
  }

  /** `count` items leave the queue for the exporter. */
  startExport(count: number): void {
    this.queued = Math.max(0, this.queued - count);
    this.exporting += count;
  }

  /** An export of `count` items ended: delivered, or lost if `error` is given. */
  endExport(count: number, error?: unknown): void {
    if (this.closed) return;
    this.exporting = Math.max(0, this.exporting - count);
    if (error === undefined) return;
    this.lastError = describeError(error);
    this.lose('export_failed', count);
  }

  /**
   * Export has stopped (telemetry shut down, or gave up waiting for it): whatever is still queued or
   * being exported is lost, and the last warning is written if anything was lost since the previous one.
   * Later reports are ignored.
   */
  close(): void {
    if (this.closed) return;
    const undelivered = this.undelivered;
    if (undelivered > 0) {
      this.lastError = 'still queued or being exported when shutdown gave up waiting';
      this.lose('export_failed', undelivered);
    }
    this.queued = 0;
    this.exporting = 0;
    this.closed = true;
    this.warning.close();
  }

  private lose(reason: LossReason, count: number): void {
    this.lostSinceStart[reason] += count;
    this.lostSinceWarning[reason] += count;
    this.warning.notify();
  }

  private writeWarning(): void {
    const { queue_full: dropped, export_failed: failed } = this.lostSinceWarning;
    const { items, queueSizeVariable, maxQueueSize } = this.options;
    const causes = [
      ...(dropped > 0 ? [`${dropped} dropped because the queue was full (${queueSizeVariable}=${maxQueueSize})`] : []),
      ...(failed > 0 ? [`${failed} lost to failed exports (last error: ${this.lastError})`] : []),
    ];
    diag.warn(
      `${dropped + failed} ${items} not exported: ${causes.join('; ')}. ${sum(this.lostSinceStart)} since start; ` +
        `at most one such warning every ${this.warningIntervalMs / 1000} s`,
    );
    this.lostSinceWarning = zeroByReason();
  }
}

function zeroByReason(): Record<LossReason, number> {
  return { queue_full: 0, export_failed: 0 };
}

function sum(counts: Record<LossReason, number>): number {
  return counts.queue_full + counts.export_failed;
}
