import type { LevelWithSilent } from 'pino';

/** What `LOG_LEVEL` may say, from the most verbose to the quietest: pino's level names. */
export const LOG_LEVELS: readonly LevelWithSilent[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
/** Nest's own names for two of them, still understood. */
const NEST_NAMES: Record<string, LevelWithSilent> = { verbose: 'trace', log: 'info' };

export const DEFAULT_LOG_LEVEL: LevelWithSilent = 'info';

/**
 * The level `LOG_LEVEL` asks for (any case; Nest's `verbose` and `log` too). Unset or blank is `info`; anything
 * else falls back to `info`, with a warning that names the value.
 */
export function readLogLevel(value: string | undefined): { level: LevelWithSilent; warning?: string } {
  const wanted = value?.trim().toLowerCase() || DEFAULT_LOG_LEVEL;
  const level = NEST_NAMES[wanted] ?? LOG_LEVELS.find((name) => name === wanted);
  if (level) return { level };
  return {
    level: DEFAULT_LOG_LEVEL,
    warning: `LOG_LEVEL="${value}" is not a log level (${LOG_LEVELS.join(', ')}); using ${DEFAULT_LOG_LEVEL}`,
  };
}
