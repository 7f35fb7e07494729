import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { captureDiagnostics, type CapturedDiagnostics } from '../testing/captured-diagnostics';
import { AccountedExporter, type Exporter } from './accounted-exporter';
import { ExportLedger } from './export-ledger';

/** An exporter whose exports end when the test says so. */
function controllableExporter(): Exporter<number> & { answer: (result: ExportResult) => void } {
  const callbacks: Array<(result: ExportResult) => void> = [];
  return {
    export: (_items, resultCallback) => callbacks.push(resultCallback),
    shutdown: () => Promise.resolve(),
    answer: (result) => callbacks.shift()?.(result),
  };
}

describe('AccountedExporter', () => {
  let diagnostics: CapturedDiagnostics;
  let ledger: ExportLedger;
  beforeEach(() => {
    jest.useFakeTimers();
    diagnostics = captureDiagnostics();
    ledger = new ExportLedger({ items: 'spans', maxQueueSize: 10, queueSizeVariable: 'Q' });
    [1, 2, 3].forEach(() => ledger.admit());
  });
  afterEach(() => {
    diagnostics.restore();
    jest.useRealTimers();
  });

  it('reports success upward and nothing lost when the export succeeds', () => {
    const inner = controllableExporter();
    const results: ExportResult[] = [];
    new AccountedExporter(inner, ledger, 1000).export([1, 2, 3], (result) => results.push(result));
    expect(ledger.undelivered).toBe(3);
    inner.answer({ code: ExportResultCode.SUCCESS });
    expect(results).toEqual([{ code: ExportResultCode.SUCCESS }]);
    expect(ledger.undelivered).toBe(0);
    expect(ledger.lost.export_failed).toBe(0);
  });

  it('counts a failed export in the ledger and still reports success upward, so the batch processor logs nothing', () => {
    const inner = controllableExporter();
    const results: ExportResult[] = [];
    new AccountedExporter(inner, ledger, 1000).export([1, 2, 3], (result) => results.push(result));
    inner.answer({ code: ExportResultCode.FAILED, error: new Error('read ECONNRESET') });
    expect(results).toEqual([{ code: ExportResultCode.SUCCESS }]);
    expect(ledger.lost.export_failed).toBe(3);
    expect(diagnostics.warnings[0]).toContain('last error: read ECONNRESET');
  });

  it('gives up on an export that does not answer within the timeout, and ignores its late answer', () => {
    const inner = controllableExporter();
    const results: ExportResult[] = [];
    new AccountedExporter(inner, ledger, 1000).export([1, 2, 3], (result) => results.push(result));
    jest.advanceTimersByTime(999);
    expect(results).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(results).toHaveLength(1);
    expect(ledger.lost.export_failed).toBe(3);
    expect(diagnostics.warnings[0]).toContain('last error: no answer within 1000 ms');
    inner.answer({ code: ExportResultCode.SUCCESS });
    expect(results).toHaveLength(1);
    expect(ledger.lost.export_failed).toBe(3);
  });

  it('counts an exporter that throws as a failed export', () => {
    const throwing: Exporter<number> = {
      export: () => {
        throw new Error('boom');
      },
      shutdown: () => Promise.resolve(),
    };
    const results: ExportResult[] = [];
    new AccountedExporter(throwing, ledger, 1000).export([1], (result) => results.push(result));
    expect(results).toEqual([{ code: ExportResultCode.SUCCESS }]);
    expect(ledger.lost.export_failed).toBe(1);
  });
});
