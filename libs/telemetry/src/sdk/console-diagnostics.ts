import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { getStringFromEnv } from '@opentelemetry/core';

/**
 * The SDK's diagnostics, and the warnings about bad settings written before the SDK exists, go nowhere
 * unless a logger is set: set one at once, at `OTEL_LOG_LEVEL` (warnings and errors by default). A
 * level that is not one is itself a warning, and the default. Returns the level set.
 */
export function useConsoleForDiagnostics(): DiagLogLevel {
  const logger = new DiagConsoleLogger();
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  const level = getStringFromEnv('OTEL_LOG_LEVEL')?.trim();
  if (level === undefined) return DiagLogLevel.WARN;
  const logLevel = DIAG_LEVELS[level.toUpperCase()];
  if (logLevel === undefined) {
    const known = Object.keys(DIAG_LEVELS).join(', ').toLowerCase();
    diag.warn(`OTEL_LOG_LEVEL="${level}" is not a log level (${known}); using warn`);
    return DiagLogLevel.WARN;
  }
  diag.setLogger(logger, { logLevel, suppressOverrideMessage: true });
  return logLevel;
}

/**
 * `construct()` (the `NodeSDK`) with the console logger of {@link useConsoleForDiagnostics} around it.
 * NodeSDK sets a console logger of its own when `OTEL_LOG_LEVEL` is set, with a warning and a stack trace
 * if one is set already: let it, now that the warnings of start-up are written; then put ours back, since
 * NodeSDK's is at INFO for a level it does not know.
 */
export function keepingConsoleDiagnostics<T>(level: DiagLogLevel, construct: () => T): T {
  if (getStringFromEnv('OTEL_LOG_LEVEL') !== undefined) diag.disable();
  const constructed = construct();
  diag.setLogger(new DiagConsoleLogger(), { logLevel: level, suppressOverrideMessage: true });
  return constructed;
}

const DIAG_LEVELS: Record<string, DiagLogLevel> = {
  NONE: DiagLogLevel.NONE,
  ERROR: DiagLogLevel.ERROR,
  WARN: DiagLogLevel.WARN,
  INFO: DiagLogLevel.INFO,
  DEBUG: DiagLogLevel.DEBUG,
  VERBOSE: DiagLogLevel.VERBOSE,
  ALL: DiagLogLevel.ALL,
};
