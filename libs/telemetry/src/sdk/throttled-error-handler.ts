import { diag } from '@opentelemetry/api';
import { loggingErrorHandler, setGlobalErrorHandler } from '@opentelemetry/core';
import { describeError } from './describe-error';
import { DEFAULT_WARNING_INTERVAL_MS } from './export-ledger';
import { ThrottledWarning } from './throttled-warning';

/**
 * Replaces the SDK's global error handler, which writes every error it is given as a JSON line with
 * its stack trace: a failed log export every second while the collector is down. This one writes one
 * line per interval at most, with the count and the last error on one line, and the rest at shutdown.
 * (Failed span exports never get here: `AccountedExporter` counts them, by span.)
 */
export class ThrottledErrorHandler {
  private count = 0;
  private lastError = '';
  private readonly warning: ThrottledWarning;

  private constructor(private readonly intervalMs: number) {
    this.warning = new ThrottledWarning(() => this.write(), intervalMs);
  }

  /** Installs the handler for the whole process, until `uninstall()`. */
  static install(intervalMs = DEFAULT_WARNING_INTERVAL_MS): ThrottledErrorHandler {
    const handler = new ThrottledErrorHandler(intervalMs);
    setGlobalErrorHandler((error) => handler.handle(error));
    return handler;
  }

  handle(error: unknown): void {
    this.count += 1;
    this.lastError = describeError(error);
    this.warning.notify();
  }

  /** Writes what is pending and puts the SDK's own handler back. */
  uninstall(): void {
    this.warning.close();
    setGlobalErrorHandler(loggingErrorHandler());
  }

  private write(): void {
    diag.error(
      `OpenTelemetry: ${this.count} error(s) (such as failed log exports); last: ${this.lastError}. ` +
        `At most one such line every ${this.intervalMs / 1000} s`,
    );
    this.count = 0;
  }
}
