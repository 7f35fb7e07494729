/** The rate-limited warnings the app writes about spans it could not export, and the count each one gives. */
export function spanLossWarnings(logs: string): Array<{ line: string; count: number }> {
  return logs
    .split('\n')
    .map((line) => ({ line, match: /^(\d+) spans not exported: /.exec(line) }))
    .filter(({ match }) => match !== null)
    .map(({ line, match }) => ({ line, count: Number(match?.[1]) }));
}

/** Longest time between two such warnings, in ms (the library's DEFAULT_WARNING_INTERVAL_MS). */
export const SPAN_LOSS_WARNING_INTERVAL_MS = 30_000;

/**
 * The most loss warnings a run of `elapsedMs` may write: the first loss at once, then at most one per
 * interval, then the last word at shutdown.
 */
export function maxSpanLossWarnings(elapsedMs: number): number {
  return 1 + Math.floor(elapsedMs / SPAN_LOSS_WARNING_INTERVAL_MS) + 1;
}
