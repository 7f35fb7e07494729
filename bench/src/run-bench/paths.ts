import { join, resolve } from 'node:path';

/** The bench's bundles are in dist/bench; this file is bundled into dist/bench/main.js. */
export const BENCH_BUNDLES = __dirname;
export const WORKSPACE_ROOT = resolve(__dirname, '../..');
export const HEALTH_API_MAIN = join(WORKSPACE_ROOT, 'dist/apps/health-api/main.js');
/** Results of a full run, committed; a smoke run writes elsewhere so that it never overwrites them. */
export const DEFAULT_RESULTS_DIR = join(WORKSPACE_ROOT, 'bench/results');
export const DEFAULT_SMOKE_RESULTS_DIR = join(WORKSPACE_ROOT, 'tmp/bench-smoke');
/** Output of every process the bench starts, one file each, overwritten by the next run (tmp/ is ignored by git). */
export const BENCH_LOGS = join(WORKSPACE_ROOT, 'tmp/bench-logs');

export function benchBundle(
  name: 'bare-app' | 'lib-app' | 'otlp-sink' | 'span-cost' | 'metrics-render' | 'message-cost' | 'memory-probe',
): string {
  return join(BENCH_BUNDLES, `${name}.js`);
}
