import { type INestApplicationContext, Logger } from '@nestjs/common';

export interface GracefulShutdownOptions {
  /** Longest wait for in-flight requests and the telemetry flush before the process exits 1. Default 10 000 ms. */
  timeoutMs?: number;
  /** Default `SIGTERM` and `SIGINT`. */
  signals?: NodeJS.Signals[];
  /**
   * How long after a SIGINT further signals are taken as that same Ctrl-C, not as a second one. Default 1 000 ms.
   * A Ctrl-C reaches the app more than once: the terminal signals its whole process group, and the tools in
   * between relay it (`nx serve` forwards the SIGINT, then sends SIGTERM to its task's processes), all within
   * milliseconds. A second Ctrl-C by a person comes later, and still exits at once.
   */
  relayWindowMs?: number;
}

/**
 * On the first signal: stop accepting connections, let in-flight requests finish, flush telemetry
 * (`TelemetryModule` stops the SDK on application shutdown) and exit 0. A second signal, or a
 * shutdown slower than the timeout, exits 1 at once; signals within `relayWindowMs` of a first SIGINT
 * are that Ctrl-C relayed, and ignored. After a SIGTERM (a process manager) any second signal counts.
 *
 * Used instead of Nest's `enableShutdownHooks()`, which re-raises the signal after closing and so
 * makes the process end with 143/130 rather than 0.
 */
export function enableGracefulShutdown(app: INestApplicationContext, options: GracefulShutdownOptions = {}): void {
  const { timeoutMs = 10_000, signals = ['SIGTERM', 'SIGINT'], relayWindowMs = 1_000 } = options;
  const logger = new Logger('Shutdown');
  let first: { signal: NodeJS.Signals; at: number } | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (first !== undefined) {
      if (first.signal === 'SIGINT' && Date.now() - first.at < relayWindowMs) return;
      logger.warn(`${signal} received again: exiting without waiting`);
      process.exit(1);
    }
    first = { signal, at: Date.now() };
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
