// @obs/telemetry/testing: telemetry for the specs of an app, with spans kept in memory.
export { startTestTelemetry, type TestTelemetry } from './testing/test-telemetry';
export { FinishedSpans } from './testing/finished-spans';
