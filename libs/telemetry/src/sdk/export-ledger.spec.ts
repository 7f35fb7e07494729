import { captureDiagnostics, type CapturedDiagnostics } from '../testing/captured-diagnostics';
import { ExportLedger } from './export-ledger';

describe('ExportLedger', () => {
  let diagnostics: CapturedDiagnostics;
  const ledger = (maxQueueSize = 2): ExportLedger =>
    new ExportLedger({
      items: 'spans',
      maxQueueSize,
      queueSizeVariable: 'OTEL_BSP_MAX_QUEUE_SIZE',
      warningIntervalMs: 30_000,
    });

  beforeEach(() => {
    jest.useFakeTimers();
    diagnostics = captureDiagnostics();
  });
  afterEach(() => {
    diagnostics.restore();
    jest.useRealTimers();
  });

  it('admits up to the queue size and counts the rest as dropped', () => {
    const account = ledger(2);
    expect([account.admit(), account.admit(), account.admit(), account.admit()]).toEqual([true, true, false, false]);
    expect(account.lost).toEqual({ queue_full: 2, export_failed: 0 });
    expect(account.undelivered).toBe(2);
  });

  it('makes room as items leave for the exporter, and counts failed exports', () => {
    const account = ledger(2);
    account.admit();
    account.admit();
    account.startExport(2);
    expect(account.admit()).toBe(true);
    account.endExport(2, new Error('connect ECONNREFUSED 127.0.0.1:4318'));
    expect(account.lost).toEqual({ queue_full: 0, export_failed: 2 });
    expect(account.undelivered).toBe(1);
  });

  it('warns once for a burst of losses, with the counts, the cause and the variable to raise', () => {
    const account = ledger(1);
    account.admit();
    for (let i = 0; i < 500; i++) account.admit();
    account.startExport(1);
    account.endExport(1, new Error('connect ECONNREFUSED 127.0.0.1:4318'));
    expect(diagnostics.warnings).toEqual([
      '1 spans not exported: 1 dropped because the queue was full (OTEL_BSP_MAX_QUEUE_SIZE=1). 1 since start; at most one such warning every 30 s',
    ]);
    jest.advanceTimersByTime(30_000);
    expect(diagnostics.warnings[1]).toBe(
      '500 spans not exported: 499 dropped because the queue was full (OTEL_BSP_MAX_QUEUE_SIZE=1); ' +
        '1 lost to failed exports (last error: connect ECONNREFUSED 127.0.0.1:4318). 501 since start; at most one such warning every 30 s',
    );
    expect(diagnostics.warnings).toHaveLength(2);
  });

  it('counts what is still undelivered as lost on close, says so, and ignores late answers', () => {
    const account = ledger(10);
    account.admit();
    account.admit();
    account.admit();
    account.startExport(2);
    account.close();
    expect(account.lost).toEqual({ queue_full: 0, export_failed: 3 });
    expect(diagnostics.warnings).toEqual([
      '3 spans not exported: 3 lost to failed exports (last error: still queued or being exported when shutdown gave up waiting). ' +
        '3 since start; at most one such warning every 30 s',
    ]);
    account.endExport(2, new Error('late'));
    expect(account.admit()).toBe(false);
    expect(account.lost).toEqual({ queue_full: 0, export_failed: 3 });
  });

  it('says nothing when nothing was lost', () => {
    const account = ledger(10);
    account.admit();
    account.startExport(1);
    account.endExport(1);
    account.close();
    expect(diagnostics.warnings).toEqual([]);
  });
});
