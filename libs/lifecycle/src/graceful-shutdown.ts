import { type INestApplicationContext, Logger } from '@nestjs/common';

export interface GracefulShutdownOptions {
  /** Longest wait for in-flight requests and the telemetry flush before the process exits 1. Default 10 000 ms. */
  timeoutMs?: number;
  /** Default `SIGTERM` and `SIGINT`. */
  signals?: NodeJS.Signals[];
}

/**
 * On the first signal: stop accepting connections, let in-flight requests finish, flush telemetry
 * (`TelemetryModule` stops the SDK on application shutdown) and exit 0. A second signal, or a
 * shutdown slower than the timeout, exits 1 at once.
 *
 * Used instead of Nest's `enableShutdownHooks()`, which re-raises the signal after closing and so
 * makes the process end with 143/130 rather than 0.
 */
export function enableGracefulShutdown(app: INestApplicationContext, options: GracefulShutdownOptions = {}): void {
  const { timeoutMs = 10_000, signals = ['SIGTERM', 'SIGINT'] } = options;
  const logger = new Logger('Shutdown');
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      logger.warn(`${signal} received again: exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    logger.log(`${signal} received: finishing in-flight requests and flushing telemetry`);
    setTimeout(() => {
      logger.error(`Shutdown took longer than ${timeoutMs} ms: exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`Shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  signals.forEach((signal) => process.on(signal, onSignal));
}
