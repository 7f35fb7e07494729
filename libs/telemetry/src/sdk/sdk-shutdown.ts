import { context, diag, logs, metrics, propagation, trace } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import { setActiveMetricStore } from '../metrics/metric-store';
import type { MetricsServer } from '../metrics/prometheus/metrics-server';
import { forgetStartedTelemetry } from '../state/started-telemetry';
import { describeError } from './export-diagnostics';
import type { AccountedBatchSpanProcessor } from './span-export';

/**
 * Longest wait for telemetry to flush at shutdown: half of `serve()`'s default 10 s, so that a collector
 * that never answers costs the unsent telemetry (counted in the last loss warning), not a failed exit.
 */
const SHUTDOWN_TIMEOUT_MS = 5000;

/** What a started SDK has to stop, flush or put back. */
export interface SdkParts {
  sdk: NodeSDK;
  instrumentations: Array<Pick<Instrumentation, 'disable'>>;
  metricsServer: MetricsServer | undefined;
  batchedSpans: readonly AccountedBatchSpanProcessor[];
  errorHandler: { uninstall(): void };
}

/**
 * `Telemetry.shutdown()` of a started SDK: flushes within {@link SHUTDOWN_TIMEOUT_MS}, then unpatches and
 * unregisters everything. Called again, it returns the first call's promise.
 */
export function createShutdown(parts: SdkParts): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= shutdownSdk(parts));
}

async function shutdownSdk({
  sdk,
  instrumentations,
  metricsServer,
  batchedSpans,
  errorHandler,
}: SdkParts): Promise<void> {
  try {
    const flushed = await settlesWithin(Promise.all([sdk.shutdown(), metricsServer?.close()]), SHUTDOWN_TIMEOUT_MS);
    if (!flushed) {
      diag.warn(
        `OpenTelemetry did not finish exporting within ${SHUTDOWN_TIMEOUT_MS} ms (is the collector reachable?); stopping without it`,
      );
    }
  } catch (error) {
    diag.error(`OpenTelemetry shutdown failed; some telemetry may not have been exported: ${describeError(error)}`);
  } finally {
    // The last word on lost spans, including any still queued if the flush was cut short.
    batchedSpans.forEach((processor) => processor.close());
    errorHandler.uninstall();
    // Unpatch and unregister so that a later start in the same process (tests) begins clean.
    instrumentations.forEach((instrumentation) => instrumentation.disable());
    setActiveMetricStore(undefined);
    trace.disable();
    metrics.disable();
    logs.disable();
    propagation.disable();
    context.disable();
    forgetStartedTelemetry();
  }
}

/**
 * Whether `work` settles within `timeoutMs`. If it does not, it is left running: a collector that never
 * answers must not hold the process past the shutdown bound. A rejection is passed on.
 */
async function settlesWithin(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
