import { ConsoleLogger, type ConsoleLoggerOptions, type LogLevel } from '@nestjs/common';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { LIBRARY_SCOPE } from '../telemetry.constants';
import { readLogLevels } from './log-levels';

const SEVERITY: Record<LogLevel, SeverityNumber> = {
  verbose: SeverityNumber.TRACE,
  debug: SeverityNumber.DEBUG,
  log: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
  fatal: SeverityNumber.FATAL,
};

type JsonLogObject = ReturnType<ConsoleLogger['getJsonLogObject']>;

/**
 * Nest's logger writing one JSON object per line, carrying `trace_id` and `span_id` whenever a span
 * is active, and handing every record to the OpenTelemetry logs SDK as well (exported as
 * `OTEL_LOGS_EXPORTER` says: `otlp`, `console` or `none`; the SDK ties each record to the active span).
 *
 * Levels come from `LOG_LEVEL` (default `info`). Use it as the app's logger:
 * `NestFactory.create(AppModule, { logger: new TelemetryLogger() })`.
 */
export class TelemetryLogger extends ConsoleLogger {
  constructor(options: ConsoleLoggerOptions = {}) {
    const { levels, warning } = readLogLevels(process.env['LOG_LEVEL']);
    super({ json: true, logLevels: levels, ...options });
    if (warning) this.warn(warning, 'TelemetryLogger');
  }

  protected override getJsonLogObject(
    message: unknown,
    options: Parameters<ConsoleLogger['getJsonLogObject']>[1],
  ): JsonLogObject {
    const logObject = super.getJsonLogObject(message, options);
    const spanContext = trace.getActiveSpan()?.spanContext();
    if (!spanContext || !isSpanContextValid(spanContext)) return logObject;
    return { ...logObject, trace_id: spanContext.traceId, span_id: spanContext.spanId } as JsonLogObject;
  }

  protected override printMessages(
    messages: unknown[],
    context = '',
    logLevel: LogLevel = 'log',
    writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    super.printMessages(messages, context, logLevel, writeStreamType, errorStack);
    // Looked up per call: a logger made before the SDK started would stay a no-op.
    const otelLogger = logs.getLogger(LIBRARY_SCOPE);
    for (const message of messages) {
      otelLogger.emit({
        severityNumber: SEVERITY[logLevel],
        severityText: logLevel.toUpperCase(),
        body: bodyOf(message),
        attributes: {
          ...(context ? { 'nest.context': context } : {}),
          ...(typeof errorStack === 'string' ? { 'exception.stacktrace': errorStack } : {}),
        },
      });
    }
  }
}

/** The record's body: strings as they are, anything else as JSON (or its string form if it cannot be). */
function bodyOf(message: unknown): string {
  if (typeof message === 'string') return message;
  try {
    return JSON.stringify(message) ?? String(message);
  } catch {
    return String(message);
  }
}
