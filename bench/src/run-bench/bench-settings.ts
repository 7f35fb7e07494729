import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { MetricsRenderSettings } from '../metrics-render/metrics-render-result';
import type { MessageCostSettings } from '../message-cost/message-cost-result';
import type { SpanCostSettings } from '../span-cost/span-cost-result';
import type { InstructionSettings } from './instruction-count';
import { BENCH_LOGS, DEFAULT_RESULTS_DIR, DEFAULT_SMOKE_RESULTS_DIR } from './paths';
import type { HealthApiBuild } from './variants';

/** Every count and duration of a run: all fixed, so the whole run is bounded. */
export interface BenchSettings {
  mode: 'full' | 'smoke';
  /** Unset: `defaultOutDir()`, once the Node that runs the apps is known. */
  outDir: string | undefined;
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
  messageCost: MessageCostSettings;
  /** Hard bound on the whole run: past it every process is killed and the run fails. */
  deadlineMinutes: number;
  /**
   * Which variants: `standard` (ours, with the peers when `peers`), `ablation` (the ladder, see
   * ablation-variants.ts), or the ids given to `--variants` (bare is always added).
   */
  selection: 'standard' | 'ablation' | string[];
  /** The peer agents' variants (installed from bench/peers on first use). */
  peers: boolean;
  /** `--cpu-prof` of every app process, summarised per variant into `<outDir>/profiles/`. */
  cpuProfile: boolean;
  /**
   * `--gc-stats`: every app runs with `--trace-gc-nvp`, and the bench sums what V8 reports allocating and
   * promoting during the measured loads, per request: figures that machine load does not move.
   */
  gcStats: boolean;
  /** The Node that runs the apps and micro-benchmarks: a major line fetched from the registry, or a path. */
  node: string | undefined;
  /**
   * `--health-api-build <label>=<dir>`: the health-api variants run from these builds instead of
   * dist/apps/health-api, each as `<variant>@<label>`, interleaved with the rest (before and after a change).
   */
  healthApiBuilds: HealthApiBuild[];
  /**
   * `--instructions`: each variant's instructions per request counted under callgrind (valgrind), beside a
   * shorter load of the same variants for CPU µs and req/s; `null` in the other modes.
   */
  instructions: InstructionSettings | null;
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
  messageCost: { messages: 20_000, processes: 3 },
  deadlineMinutes: 30,
  selection: 'standard',
  peers: true,
  cpuProfile: false,
  gcStats: false,
  node: undefined,
  healthApiBuilds: [],
  instructions: null,
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
  messageCost: { messages: 300, processes: 1 },
  deadlineMinutes: 4,
  selection: 'standard',
  peers: false,
  cpuProfile: false,
  gcStats: false,
  node: undefined,
  healthApiBuilds: [],
  instructions: null,
};

/**
 * `--instructions`: callgrind's counts need no rounds to resolve a few percent, so the load beside them,
 * for CPU µs and req/s, is shorter than a full run's.
 */
const INSTRUCTIONS: Pick<RecordedSettings, 'rounds' | 'runSeconds' | 'processesPerVariant' | 'instructions'> = {
  rounds: 3,
  runSeconds: 5,
  processesPerVariant: 2,
  instructions: {
    warmUpRequests: 20_000,
    countedRequests: 3_000,
    connections: 4,
    processesPerVariant: 2,
    functions: false,
  },
};

/** `--instructions --smoke`: one process per variant and a few hundred requests, to prove the mode works. */
const SMOKE_INSTRUCTIONS: InstructionSettings = {
  functions: false,
  warmUpRequests: 200,
  countedRequests: 200,
  connections: 4,
  processesPerVariant: 1,
};

const USAGE = `options:
  --smoke                 the short mode (figures meaningless), into tmp/bench-smoke
  --out <dir>             where results go (default bench/results/node-<major>, bench/results/ablation-node-<major>)
  --node <major|path>     run the apps under this Node (22.15+, 24 or 26): a major line (fetched once from the
                          registry into tmp/bench-node/<major>) or a binary's path; default the Node running the bench
  --health-api-build <label>=<dir>   run the health-api variants from this build of health-api (its main.js,
                          e.g. another commit's dist/apps/health-api) as <variant>@<label>; repeat for several
  --ablation              the ablation ladder instead of the standard variants
  --instructions          instructions per request under callgrind (valgrind), each variant's processes
                          interleaved, with a shorter load for CPU µs and req/s beside them: bare, otel-disabled,
                          lib-on-bare, full-protobuf and peer-dd-trace, or the --variants / --ablation given
  --variants <a,b,…>      only these variants (bare is always added)
  --peers / --skip-peers  with or without the peer agents (default: with in a full run, without in --smoke)
  --cpu-prof              a CPU profile of every app process, summarised into <out>/profiles/
  --gc-stats              V8's GC trace of every app: bytes allocated and promoted per request (load-independent)
  --warm-up-requests <n>  with --instructions: uncounted requests before counting (default 20000)
  --functions             with --instructions: each variant's costliest functions too, JIT code named through
                          V8's perf map (--perf-basic-prof, which adds GC work of its own: compare totals without it)
  --rounds <n> --seconds <s> --processes <n>   override the mode's counts (quick checks; --processes also
                          sets the processes counted under callgrind)`;

/** A command line the bench cannot run: reported as one line, without a stack. */
export class BenchUsageError extends Error {}

const OPTIONS = {
  smoke: { type: 'boolean', default: false },
  out: { type: 'string' },
  node: { type: 'string' },
  ablation: { type: 'boolean', default: false },
  instructions: { type: 'boolean', default: false },
  functions: { type: 'boolean', default: false },
  'warm-up-requests': { type: 'string' },
  variants: { type: 'string' },
  peers: { type: 'boolean' },
  'skip-peers': { type: 'boolean' },
  'cpu-prof': { type: 'boolean', default: false },
  'gc-stats': { type: 'boolean', default: false },
  rounds: { type: 'string' },
  seconds: { type: 'string' },
  processes: { type: 'string' },
  'health-api-build': { type: 'string', multiple: true },
  help: { type: 'boolean', default: false },
} as const;

/** The command line (see USAGE) on top of the full or smoke settings. */
export function readBenchSettings(argv: string[]): BenchSettings {
  const { values } = parseCommandLine(argv);
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.functions && !values.instructions)
    throw new BenchUsageError('--functions counts functions under callgrind: give it with --instructions');
  const base = withInstructions(values.smoke ? SMOKE : FULL, values.instructions, values.smoke);
  const selection: BenchSettings['selection'] = values.variants
    ? ['bare', ...values.variants.split(',').filter((id) => id && id !== 'bare')]
    : values.ablation
      ? 'ablation'
      : 'standard';
  const settings: RecordedSettings = {
    ...base,
    rounds: positiveOption('--rounds', values.rounds) ?? base.rounds,
    runSeconds: positiveOption('--seconds', values.seconds) ?? base.runSeconds,
    processesPerVariant: positiveOption('--processes', values.processes) ?? base.processesPerVariant,
    selection,
    peers: values['skip-peers'] ? false : (values.peers ?? (base.peers && selection === 'standard')),
    cpuProfile: values['cpu-prof'],
    gcStats: values['gc-stats'],
    node: values.node,
    healthApiBuilds: (values['health-api-build'] ?? []).map(healthApiBuild),
  };
  return {
    ...settings,
    instructions: settings.instructions && {
      ...settings.instructions,
      processesPerVariant: positiveOption('--processes', values.processes) ?? settings.instructions.processesPerVariant,
      warmUpRequests:
        positiveOption('--warm-up-requests', values['warm-up-requests']) ?? settings.instructions.warmUpRequests,
      functions: values.functions,
    },
    outDir: values.out ? resolve(values.out) : undefined,
    // Named after the Node too: runs under Node 24 and 26 may count at the same time.
    logDir: join(
      BENCH_LOGS,
      values.instructions
        ? `instructions-${base.mode}-node-${(values.node ?? 'own').replace(/[^\w.-]+/g, '_')}`
        : base.mode,
    ),
  };
}

/** The mode's settings with `--instructions`' counts on top, when it is given. */
function withInstructions(base: RecordedSettings, instructions: boolean, smoke: boolean): RecordedSettings {
  if (!instructions) return base;
  return smoke ? { ...base, instructions: SMOKE_INSTRUCTIONS } : { ...base, ...INSTRUCTIONS };
}

/**
 * Where results go without `--out`: tmp/bench-smoke for a smoke run, else a directory of bench/results
 * named after the Node that ran the apps (`node-24`, `ablation-node-26`).
 */
export function defaultOutDir(
  settings: Pick<BenchSettings, 'mode' | 'selection' | 'instructions'>,
  nodeVersion: string,
): string {
  if (settings.mode === 'smoke')
    return settings.instructions ? `${DEFAULT_SMOKE_RESULTS_DIR}-instructions` : DEFAULT_SMOKE_RESULTS_DIR;
  const major = /^v(\d+)/.exec(nodeVersion)?.[1] ?? 'unknown';
  const kind = `${settings.instructions ? 'instructions-' : ''}${settings.selection === 'ablation' ? 'ablation-' : ''}`;
  return join(DEFAULT_RESULTS_DIR, `${kind}node-${major}`);
}

function healthApiBuild(option: string): HealthApiBuild {
  const match = /^([\w.-]+)=(.+)$/.exec(option);
  if (!match?.[1] || !match[2])
    throw new BenchUsageError(
      `--health-api-build ${option}: expected <label>=<dir>, e.g. before=../before/dist/apps/health-api`,
    );
  const dir = resolve(match[2]);
  if (!existsSync(join(dir, 'main.js')))
    throw new BenchUsageError(`--health-api-build ${option}: no main.js in ${dir}`);
  return { label: match[1], dir };
}

function parseCommandLine(argv: string[]): ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>> {
  try {
    return parseArgs({ args: argv, options: OPTIONS });
  } catch (error) {
    throw new BenchUsageError(`${(error as Error).message} (see --help)`);
  }
}

function positiveOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!(number > 0)) throw new BenchUsageError(`${name} ${value}: expected a number above 0`);
  return number;
}
