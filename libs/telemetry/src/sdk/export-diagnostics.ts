import { diag } from '@opentelemetry/api';
import { loggingErrorHandler, setGlobalErrorHandler } from '@opentelemetry/core';

/** Shortest time between two lines about the same kind of export failure. */
export const DIAGNOSTIC_INTERVAL_MS = 30_000;

/** Longest error description in a line: enough for `connect ECONNREFUSED 127.0.0.1:4318` and an HTTP status. */
const MAX_ERROR_LENGTH = 200;

/**
 * An error as one short line, without its stack: for lines that summarise many failures of the same
 * kind, where a stack trace per failure is noise. An HTTP status (OTLP exporters carry it as a numeric
 * `code`) is kept.
 */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message || error.name : String(error);
  const status = (error as { code?: unknown } | undefined)?.code;
  const text = (typeof status === 'number' ? `${message} (HTTP ${status})` : message).replace(/\s+/g, ' ').trim();
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

/**
 * A line about something that can happen thousands of times a second (spans lost while the collector
 * is down), written at most once per interval: the first occurrence at once, later ones summed by the
 * caller and written when the interval ends, the rest by `close()` at shutdown.
 */
export class ThrottledLine {
  private timer: NodeJS.Timeout | undefined;
  private pending = false;
  private closed = false;

  /** `write` composes and writes the line from what the caller has summed since it last ran. */
  constructor(
    private readonly write: () => void,
    private readonly intervalMs = DIAGNOSTIC_INTERVAL_MS,
  ) {}

  /** Something worth the line happened: written now if the last line is an interval old, else when it is. */
  notify(): void {
    if (this.closed) return;
    this.pending = true;
    if (this.timer === undefined) this.writePending();
  }

  /** Writes what is pending at once and stops: the last word at shutdown. */
  close(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending) this.write();
    this.pending = false;
    this.closed = true;
  }

  private writePending(): void {
    this.timer = undefined;
    if (!this.pending) return;
    this.pending = false;
    this.write();
    // A diagnostic must not keep a finished process alive.
    this.timer = setTimeout(() => this.writePending(), this.intervalMs).unref();
  }
}

/**
 * Installs, until the returned `uninstall()`, a global error handler for the SDK that writes one line
 * per interval at most, with the count and the last error, instead of the SDK's JSON line with a stack
 * trace per error (a failed log export every second while the collector is down). Failed span exports
 * never get here: the span export account counts them, by span.
 */
export function installThrottledErrorHandler(): { uninstall(): void } {
  let count = 0;
  let lastError = '';
  const line = new ThrottledLine(() => {
    diag.error(
      `OpenTelemetry: ${count} error(s) (such as failed log exports); last: ${lastError}. ` +
        `At most one such line every ${DIAGNOSTIC_INTERVAL_MS / 1000} s`,
    );
    count = 0;
  });
  setGlobalErrorHandler((error) => {
    count += 1;
    lastError = describeError(error);
    line.notify();
  });
  return {
    uninstall: () => {
      line.close();
      setGlobalErrorHandler(loggingErrorHandler());
    },
  };
}
