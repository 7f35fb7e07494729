import { type Attributes, type LogRecord, logs, SeverityNumber } from '@opentelemetry/api';
import { LIBRARY_SCOPE } from '../telemetry.constants';

/** Each pino level, as OpenTelemetry numbers it and names it (the data model's short names). */
const SEVERITY: Record<string, { severityNumber: SeverityNumber; severityText: string }> = {
  trace: { severityNumber: SeverityNumber.TRACE, severityText: 'TRACE' },
  debug: { severityNumber: SeverityNumber.DEBUG, severityText: 'DEBUG' },
  info: { severityNumber: SeverityNumber.INFO, severityText: 'INFO' },
  warn: { severityNumber: SeverityNumber.WARN, severityText: 'WARN' },
  error: { severityNumber: SeverityNumber.ERROR, severityText: 'ERROR' },
  fatal: { severityNumber: SeverityNumber.FATAL, severityText: 'FATAL' },
};

/**
 * Fields of a line left out of the record: the span's ids (the record is tied to the span), and process and host
 * (the resource's business, as instrumentation-pino has it).
 */
const LEFT_OUT = ['trace_id', 'span_id', 'trace_flags', 'pid', 'hostname'];

export interface LogLineKeys {
  /** pino's `messageKey`: the record's body. */
  messageKey: string;
  /** pino's `errorKey`: the record's exception. */
  errorKey: string;
}

/**
 * The OpenTelemetry log record of one JSON line as pino writes it with a `level` label
 * (`formatters.level`): severity from the level, body from the message, the error as the exception, every
 * other field an attribute, except those the record carries otherwise (`time`, and `trace_id`, `span_id`,
 * `trace_flags`: the record is tied to the active span) or leaves to the resource (`pid`, `hostname`). The line
 * is read after pino's serializers (and `redact`, if set), so what is hidden there is hidden here. `undefined` for
 * anything but a JSON object.
 */
export function toLogRecord(line: string, keys: LogLineKeys): LogRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const {
    level,
    time,
    [keys.messageKey]: body,
    [keys.errorKey]: error,
    ...attributes
  } = parsed as Record<string, unknown>;
  for (const key of LEFT_OUT) delete attributes[key];
  const severity = typeof level === 'string' ? SEVERITY[level] : undefined;
  const timestamp = typeof time === 'number' ? time : Date.now();
  if (time !== undefined && typeof time !== 'number') attributes['time'] = time;
  if (!severity && level !== undefined) attributes['level'] = level;
  return {
    timestamp,
    observedTimestamp: timestamp,
    ...severity,
    ...(body === undefined ? {} : { body: body as LogRecord['body'] }),
    attributes: attributes as Attributes,
    ...(error === undefined ? {} : { exception: asException(error) }),
  };
}

/**
 * pino's `hooks.streamWrite`: hands each line pino writes (levels below the logger's are never serialized,
 * so never reach it) to the OpenTelemetry logs SDK, then lets it go to the destination unchanged. It runs
 * in the caller's context, so the SDK ties the record to the active span. When the SDK would export no
 * record (not started, `OTEL_LOGS_EXPORTER=none`, no endpoint), the line is not even parsed.
 */
export function createLogRecordSender(keys: LogLineKeys): (line: string) => string {
  return (line) => {
    // Looked up per line: a logger taken before the SDK started would stay a no-op.
    const logger = logs.getLogger(LIBRARY_SCOPE);
    if (logger.enabled()) {
      const record = toLogRecord(line, keys);
      if (record) logger.emit(record);
    }
    return line;
  };
}

/** pino's serialized error (`type`, `message`, `stack`) with the `name` the SDK reads for `exception.type`. */
function asException(error: unknown): unknown {
  if (error === null || typeof error !== 'object' || Array.isArray(error)) return error;
  const { type, name } = error as { type?: unknown; name?: unknown };
  return typeof type === 'string' && typeof name !== 'string' ? { ...error, name: type } : error;
}
