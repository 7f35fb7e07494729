import { diag } from '@opentelemetry/api';
import { type Env, type EnvRange, readEnv, readEnvNumber, readEnvOr } from './env';

/** How batched span export is bounded: the `OTEL_BSP_*` variables, read once for every part that needs them. */
export interface BatchLimits {
  /** Spans waiting for export; more are dropped (and counted). `OTEL_BSP_MAX_QUEUE_SIZE`. */
  maxQueueSize: number;
  /** Spans per export request. `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`. */
  maxExportBatchSize: number;
  /** Longest wait before a partial batch is sent. `OTEL_BSP_SCHEDULE_DELAY`. */
  scheduledDelayMillis: number;
  /** Longest wait for one export to answer before its spans count as lost. `OTEL_BSP_EXPORT_TIMEOUT`. */
  exportTimeoutMillis: number;
}

/** The OpenTelemetry specification's defaults. */
export const DEFAULT_BATCH_LIMITS: Readonly<BatchLimits> = {
  maxQueueSize: 2048,
  maxExportBatchSize: 512,
  scheduledDelayMillis: 5000,
  exportTimeoutMillis: 30_000,
};

const MAX_INT32 = 2 ** 31 - 1;
const COUNT: EnvRange = { min: 1, max: MAX_INT32, noun: 'a span count' };
const DELAY: EnvRange = { min: 0, max: MAX_INT32, noun: 'a duration in milliseconds' };
const TIMEOUT: EnvRange = { min: 1, max: MAX_INT32, noun: 'a duration in milliseconds' };

/**
 * Reads `OTEL_BSP_*`. A bad value (`abc`, `-5`, `0` for a size) falls back to the default with one
 * warning naming the variable and value: the SDK would warn "expected a number" for `abc` but take
 * `-5` as a queue size, which drops every span without a word.
 *
 * A batch larger than the queue is cut to the queue size: silently when the batch size is the default
 * (setting only `OTEL_BSP_MAX_QUEUE_SIZE=100` is a reasonable thing to do), with one warning when both
 * were set.
 */
export function readBatchLimits(env: Env): BatchLimits {
  const read = (name: string, range: EnvRange, fallback: number): number =>
    readEnvOr(() => readEnvNumber(env, name, range) ?? fallback, fallback, `using ${fallback}`);
  const limits: BatchLimits = {
    maxQueueSize: read('OTEL_BSP_MAX_QUEUE_SIZE', COUNT, DEFAULT_BATCH_LIMITS.maxQueueSize),
    maxExportBatchSize: read('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', COUNT, DEFAULT_BATCH_LIMITS.maxExportBatchSize),
    scheduledDelayMillis: read('OTEL_BSP_SCHEDULE_DELAY', DELAY, DEFAULT_BATCH_LIMITS.scheduledDelayMillis),
    exportTimeoutMillis: read('OTEL_BSP_EXPORT_TIMEOUT', TIMEOUT, DEFAULT_BATCH_LIMITS.exportTimeoutMillis),
  };
  if (limits.maxExportBatchSize > limits.maxQueueSize) {
    if (readEnv(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE') !== undefined) {
      diag.warn(
        `OTEL_BSP_MAX_EXPORT_BATCH_SIZE=${limits.maxExportBatchSize} is larger than OTEL_BSP_MAX_QUEUE_SIZE=${limits.maxQueueSize}; ` +
          `using ${limits.maxQueueSize}`,
      );
    }
    limits.maxExportBatchSize = limits.maxQueueSize;
  }
  return limits;
}
