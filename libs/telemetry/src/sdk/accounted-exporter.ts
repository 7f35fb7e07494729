import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ExportLedger } from './export-ledger';

/** What span and log record exporters have in common. */
export interface Exporter<T> {
  export(items: T[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/**
 * An exporter that tells the ledger what it sends and how each export ends, and gives up on an export
 * that has not answered within `timeoutMillis` (its items count as lost; a late answer is ignored).
 *
 * To the batch processor above it, every export succeeds: the processor's only use of a failure is an
 * error line with a stack trace per failed batch. Failures are the ledger's to count and report.
 */
export class AccountedExporter<T> implements Exporter<T> {
  constructor(
    private readonly exporter: Exporter<T>,
    private readonly ledger: ExportLedger,
    private readonly timeoutMillis: number,
  ) {}

  export(items: T[], resultCallback: (result: ExportResult) => void): void {
    this.ledger.startExport(items.length);
    let ended = false;
    const end = (error?: unknown): void => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      this.ledger.endExport(items.length, error);
      resultCallback({ code: ExportResultCode.SUCCESS });
    };
    const timer = setTimeout(
      () => end(new Error(`no answer within ${this.timeoutMillis} ms`)),
      this.timeoutMillis,
    ).unref();
    try {
      this.exporter.export(items, (result) =>
        end(result.code === ExportResultCode.SUCCESS ? undefined : (result.error ?? new Error('export failed'))),
      );
    } catch (error) {
      end(error);
    }
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }
}
