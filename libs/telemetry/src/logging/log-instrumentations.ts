import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';

/**
 * The instrumentation of the logger, enabled by `startTelemetry()` before pino loads: every pino logger of the
 * process writes `trace_id`, `span_id` and `trace_flags` on each line inside a span.
 *
 * Its own sending of records to the logs SDK is off: the loggers `TelemetryLoggerModule` makes send theirs
 * (`createLogRecordSender`), with OpenTelemetry's severity names (`DEBUG`, where the instrumentation would send
 * pino's `debug`), without a second stream per logger, and whether or not pino was patched.
 * Imports no pino: `@obs/telemetry/register` must not load the modules it instruments.
 */
export function createLogInstrumentations(): PinoInstrumentation[] {
  return [new PinoInstrumentation({ disableLogSending: true })];
}
