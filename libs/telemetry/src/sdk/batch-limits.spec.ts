import { captureDiagnostics, type CapturedDiagnostics } from '../testing/captured-diagnostics';
import { DEFAULT_BATCH_LIMITS, readBatchLimits } from './batch-limits';

describe('readBatchLimits', () => {
  let diagnostics: CapturedDiagnostics;
  beforeEach(() => (diagnostics = captureDiagnostics()));
  afterEach(() => diagnostics.restore());

  it('uses the specification defaults when nothing is set', () => {
    expect(readBatchLimits({})).toEqual(DEFAULT_BATCH_LIMITS);
    expect(diagnostics.warnings).toEqual([]);
  });

  it('reads every OTEL_BSP_* variable', () => {
    expect(
      readBatchLimits({
        OTEL_BSP_MAX_QUEUE_SIZE: '100',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '10',
        OTEL_BSP_SCHEDULE_DELAY: '0',
        OTEL_BSP_EXPORT_TIMEOUT: '250',
      }),
    ).toEqual({ maxQueueSize: 100, maxExportBatchSize: 10, scheduledDelayMillis: 0, exportTimeoutMillis: 250 });
  });

  it.each(['-5', '0', 'abc', '1.5'])(
    'falls back to the default queue size for OTEL_BSP_MAX_QUEUE_SIZE=%s, with one warning',
    (value) => {
      expect(readBatchLimits({ OTEL_BSP_MAX_QUEUE_SIZE: value }).maxQueueSize).toBe(2048);
      expect(diagnostics.warnings).toEqual([
        `OTEL_BSP_MAX_QUEUE_SIZE="${value}" is not a span count: expected an integer from 1 to 2147483647; using 2048`,
      ]);
    },
  );

  it('cuts the default batch to a smaller queue without a word', () => {
    expect(readBatchLimits({ OTEL_BSP_MAX_QUEUE_SIZE: '100' })).toMatchObject({
      maxQueueSize: 100,
      maxExportBatchSize: 100,
    });
    expect(diagnostics.warnings).toEqual([]);
  });

  it('cuts a batch set larger than the queue, with one warning', () => {
    const limits = readBatchLimits({ OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '600' });
    expect(limits.maxExportBatchSize).toBe(100);
    expect(diagnostics.warnings).toEqual([
      'OTEL_BSP_MAX_EXPORT_BATCH_SIZE=600 is larger than OTEL_BSP_MAX_QUEUE_SIZE=100; using 100',
    ]);
  });
});
