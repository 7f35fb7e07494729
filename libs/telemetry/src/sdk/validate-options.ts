import type { StartTelemetryOptions } from './telemetry-options';

/**
 * Checks options given in code (a programming error, so it throws at start-up), naming the option and
 * the bad value: `Invalid startTelemetry() option metricsPath="metrics": expected a path starting with "/"`.
 */
export function validateStartOptions(options: StartTelemetryOptions): void {
  const fail = (name: string, value: unknown, expected: string): never => {
    throw new TypeError(`Invalid startTelemetry() option ${name}=${JSON.stringify(value)}: expected ${expected}`);
  };
  for (const name of ['serviceName', 'serviceVersion'] as const) {
    const value = options[name];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === ''))
      fail(name, value, 'a non-empty string');
  }
  const { metricsPath, runtimeMetrics } = options;
  if (metricsPath !== undefined && (typeof metricsPath !== 'string' || !/^\/[^\s?#]*$/.test(metricsPath))) {
    fail('metricsPath', metricsPath, 'a path starting with "/", without spaces, query or fragment');
  }
  if (runtimeMetrics !== undefined && typeof runtimeMetrics !== 'boolean')
    fail('runtimeMetrics', runtimeMetrics, 'true or false');
  for (const name of ['spanProcessors', 'logRecordProcessors', 'metricReaders', 'instrumentations'] as const) {
    const value = options[name];
    if (value !== undefined && !Array.isArray(value)) fail(name, value, 'an array');
  }
}
