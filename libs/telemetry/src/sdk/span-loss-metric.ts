import type { Meter } from '@opentelemetry/api';
import { type ExportLedger, LOSS_REASONS } from './export-ledger';

/** `otel_spans_dropped_total{reason=...}` on /metrics (the `{span}` annotation adds no suffix). */
export const SPANS_DROPPED_METRIC = 'otel.spans.dropped';

/**
 * Puts the ledger's count of lost spans on /metrics, by `reason` (`queue_full`, `export_failed`), both
 * from 0 so that `increase()` works from the first scrape: an alert can watch what the rate-limited
 * warning says.
 */
export function observeSpanLosses(meter: Meter, ledger: ExportLedger): void {
  meter
    .createObservableCounter(SPANS_DROPPED_METRIC, {
      description: 'Spans not exported: dropped because the export queue was full, or lost to a failed export',
      unit: '{span}',
    })
    .addCallback((result) => {
      for (const reason of LOSS_REASONS) result.observe(ledger.lost[reason], { reason });
    });
}
