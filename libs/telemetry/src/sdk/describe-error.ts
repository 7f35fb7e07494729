/** Longest error description in a log line: enough for `connect ECONNREFUSED 127.0.0.1:4318` and an HTTP status. */
const MAX_LENGTH = 200;

/**
 * An error as one short line, without its stack: for warnings that summarise many failures of the
 * same kind, where a stack trace per line is noise. An HTTP status (OTLP exporter errors carry it as
 * a numeric `code`) is kept.
 */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message || error.name : String(error);
  const status = (error as { code?: unknown } | undefined)?.code;
  const text = typeof status === 'number' ? `${message} (HTTP ${status})` : message;
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_LENGTH ? `${line.slice(0, MAX_LENGTH - 1)}…` : line;
}
