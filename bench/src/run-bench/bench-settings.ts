import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { MetricsRenderSettings } from '../metrics-render/metrics-render-result';
import type { SpanCostSettings } from '../span-cost/span-cost-result';
import { BENCH_LOGS, DEFAULT_RESULTS_DIR, DEFAULT_SMOKE_RESULTS_DIR } from './paths';

/** Every count and duration of a run: all fixed, so the whole run is bounded. */
export interface BenchSettings {
  mode: 'full' | 'smoke';
  outDir: string;
  /** Where the output of every started process goes, one file each. */
  logDir: string;
  /** Interleaved rounds: each variant is loaded once per round, in a rotated order. */
  rounds: number;
  /** Length of one variant's load in one round. */
  runSeconds: number;
  /** Load on each variant before the first round, not recorded. */
  warmUpSeconds: number;
  /** Idle time between two loads, so one app's leftover work (a batch export, GC) does not hit the next. */
  pauseMs: number;
  /** Concurrent keep-alive connections of the load generator. */
  connections: number;
  /**
   * Processes started per variant, each loaded in every round. Two processes of one program differ by
   * up to ±4 % in req/s (JIT and heap layout): one process per variant cannot resolve a 2 % target.
   */
  processesPerVariant: number;
  unknownUrls: {
    /** Requests before the "before" RSS reading, so that heap growth of a cold process is not counted. */
    warmUp: number;
    requests: number;
    /** RSS readings during the run (the last one is "after"). */
    checkpoints: number;
  };
  spanCost: SpanCostSettings;
  metricsRender: MetricsRenderSettings;
  /** Hard bound on the whole run: past it every process is killed and the run fails. */
  deadlineMinutes: number;
}

export type RecordedSettings = Omit<BenchSettings, 'outDir' | 'logDir'>;

const FULL: RecordedSettings = {
  mode: 'full',
  rounds: 5,
  runSeconds: 8,
  warmUpSeconds: 5,
  pauseMs: 1000,
  connections: 16,
  processesPerVariant: 2,
  unknownUrls: { warmUp: 20_000, requests: 200_000, checkpoints: 4 },
  spanCost: { iterations: 200_000, samples: 7 },
  metricsRender: { series: 10_000, repetitions: 15 },
  deadlineMinutes: 30,
};

/** Proves that the bench works, in well under a minute; its figures mean nothing. */
const SMOKE: RecordedSettings = {
  mode: 'smoke',
  rounds: 1,
  runSeconds: 1.5,
  warmUpSeconds: 0.5,
  pauseMs: 100,
  connections: 8,
  processesPerVariant: 1,
  unknownUrls: { warmUp: 500, requests: 2_000, checkpoints: 2 },
  spanCost: { iterations: 5_000, samples: 3 },
  metricsRender: { series: 10_000, repetitions: 2 },
  deadlineMinutes: 4,
};

/** `--smoke` for the short mode, `--out <dir>` for where results go (default bench/results, tmp/bench-smoke for smoke). */
export function readBenchSettings(argv: string[]): BenchSettings {
  const { values } = parseArgs({
    args: argv,
    options: { smoke: { type: 'boolean', default: false }, out: { type: 'string' } },
  });
  const base = values.smoke ? SMOKE : FULL;
  const defaultOutDir = values.smoke ? DEFAULT_SMOKE_RESULTS_DIR : DEFAULT_RESULTS_DIR;
  return { ...base, outDir: values.out ? resolve(values.out) : defaultOutDir, logDir: join(BENCH_LOGS, base.mode) };
}
