import type { LogLevel } from '@nestjs/common';

/** The Nest levels each `LOG_LEVEL` value lets through, from the most verbose to the quietest. */
const LEVELS: Record<string, LogLevel[]> = {
  trace: ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'],
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
  fatal: ['fatal'],
  silent: [],
};
/** Nest's own names for two of them. */
const ALIASES: Record<string, string> = { verbose: 'trace', log: 'info' };

export const DEFAULT_LOG_LEVEL = 'info';

/**
 * The levels `LOG_LEVEL` asks for (`trace`, `debug`, `info`, `warn`, `error`, `fatal`, `silent`, or
 * Nest's `verbose`/`log`). An unknown value falls back to `info`, with a warning that names it.
 */
export function readLogLevels(value: string | undefined): { levels: LogLevel[]; warning?: string } {
  const wanted = value?.trim().toLowerCase() || DEFAULT_LOG_LEVEL;
  const levels = LEVELS[ALIASES[wanted] ?? wanted];
  if (levels) return { levels };
  return {
    levels: LEVELS[DEFAULT_LOG_LEVEL],
    warning: `LOG_LEVEL="${value}" is not a log level (${Object.keys(LEVELS).join(', ')}); using ${DEFAULT_LOG_LEVEL}`,
  };
}
