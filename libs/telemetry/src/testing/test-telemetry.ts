import { startTelemetry } from '../sdk/start-telemetry';
import type { StartTelemetryOptions } from '../sdk/telemetry-options';
import { FinishedSpans } from './finished-spans';

/** Telemetry started for a test: the whole SDK, with spans kept in memory instead of exported. */
export interface TestTelemetry {
  /** Every span ended since the start (or the last `reset()`); `waitFor(n)` resolves once `n` have ended. */
  readonly spans: FinishedSpans;
  /** Stops the SDK, so that the next test file or suite can start it again. */
  shutdown(): Promise<void>;
}

/**
 * Starts telemetry as an app does, with spans kept in memory and no runtime metrics (they would only
 * add series), for specs of Nest apps: `const telemetry = startTestTelemetry()` before the testing
 * module is created, `await telemetry.spans.waitFor(2)` after a request, `telemetry.shutdown()` after all.
 *
 * @param options - as `startTelemetry()`'s; `runtimeMetrics` by default `false` here
 * @example
 * const telemetry = startTestTelemetry({ serviceName: 'orders-spec' });
 * afterAll(() => telemetry.shutdown());
 */
export function startTestTelemetry(options: Omit<StartTelemetryOptions, 'spanProcessors'> = {}): TestTelemetry {
  const spans = new FinishedSpans();
  const telemetry = startTelemetry({ runtimeMetrics: false, ...options, spanProcessors: [spans] });
  return { spans, shutdown: () => telemetry.shutdown() };
}
