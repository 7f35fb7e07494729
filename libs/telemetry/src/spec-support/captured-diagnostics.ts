import { diag, type DiagLogger, DiagLogLevel } from '@opentelemetry/api';

/** The SDK's diagnostics (`diag`) written since `captureDiagnostics()`, by level; for tests. */
export interface CapturedDiagnostics {
  readonly warnings: string[];
  readonly errors: string[];
  /** Puts `diag` back to no logger. */
  restore(): void;
}

/** Routes `diag` warnings and errors into arrays, to assert how many lines a situation writes and what they say. */
export function captureDiagnostics(): CapturedDiagnostics {
  const warnings: string[] = [];
  const errors: string[] = [];
  const ignore = (): void => undefined;
  const logger: DiagLogger = {
    error: (message) => errors.push(message),
    warn: (message) => warnings.push(message),
    info: ignore,
    debug: ignore,
    verbose: ignore,
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return { warnings, errors, restore: () => diag.disable() };
}
