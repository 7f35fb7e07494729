// npm run bench [-- --smoke] [-- --out <dir>] [-- --node 24] [-- --ablation] [-- --cpu-prof] (see --help)
// Loads GET /healthz on a bare Nest app, on health-api with telemetry off, on, sampled, exported as
// protobuf or JSON, on the bare app with our library alone and under the peer agents, side by side and
// interleaved; then @Span() cost, /metrics render time and RSS under unknown URLs. `--ablation` loads the
// ablation ladder instead. Writes results.json, results.md and chart.svg. Everything on loopback, bounded,
// and every process it starts is killed when it ends, even on failure.
import { summarizeVariants } from '../report/summarize-variants';
import { ablationRows, checkTargets, memoryTarget } from '../report/targets';
import type { BenchResults, VariantResult } from '../report/bench-results';
import { writeResults } from '../report/write-results';
import type { MetricsRenderResult } from '../metrics-render/metrics-render-result';
import type { MessageCostCase } from '../message-cost/message-cost-result';
import type { SpanCostCase } from '../span-cost/span-cost-result';
import { BenchUsageError, type BenchSettings, defaultOutDir, readBenchSettings } from './bench-settings';
import { currentLoadAverage, describeMachine } from './machine';
import { NodeProcess } from './node-process';
import { benchBundle } from './paths';
import { progress } from './progress';
import { measureMessageCost } from './message-cost';
import { runMicroBenchmark } from './run-micro-benchmark';
import { type RunningVariant, startVariant } from './running-variant';
import { readSinkStats } from './sink-stats-client';
import { measureThroughput } from './throughput';
import { measureUnknownUrlsMemory, type UnknownUrlsMemoryResult } from './unknown-urls-memory';
import { fromBuild, type Variant, VARIANTS } from './variants';
import { ABLATION_RUN, ABLATION_VARIANTS } from './ablation-variants';
import { summarizeCpuProfiles } from './cpu-profile-summary';
import { type GcStats, gcStatsPerRequest, sumGcTrace } from './gc-trace';
import { resolveNodeBinary } from './node-binary';
import { PEER_VARIANTS } from './peer-variants';
import { ensurePeersInstalled, PEERS_DIR } from './peers';
import { type AppLaunch } from './running-variant';
import { BENCH_LOGS } from './paths';
import { join } from 'node:path';
import { checkInstructionTargets } from '../report/instruction-targets';
import { INSTRUCTION_PEERS, INSTRUCTION_VARIANTS, measureInstructions } from './instructions-run';
import { valgrindVersion } from './valgrind';

/** The settings of this run, its results directory decided. */
type RunSettings = BenchSettings & { outDir: string };

/** The variant whose memory is watched under unknown URLs: the one with the most to leak. */
const MEMORY_CHECK_VARIANT = 'full-protobuf';

async function main(): Promise<void> {
  const requested = readBenchSettings(process.argv.slice(2));
  const valgrind = requested.instructions ? valgrindVersion() : undefined;
  if (requested.instructions && !valgrind) {
    console.log(
      'bench: --instructions skipped: valgrind (with callgrind_control) is not installed (apt-get install valgrind)',
    );
    return;
  }
  const node = resolveNodeBinary(requested.node);
  const selected = selectVariants(requested);
  const settings: RunSettings = {
    ...requested,
    outDir: requested.outDir ?? defaultOutDir(requested, node.version),
    deadlineMinutes: deadlineFor(requested, selected.length),
  };
  failAfterDeadline(settings);
  const startedAt = new Date().toISOString();
  const machine = { ...describeMachine(), node: node.version };
  const launch: AppLaunch = {
    node: node.path,
    peersDir: PEERS_DIR,
    cpuProfileRoot: settings.cpuProfile ? join(BENCH_LOGS, 'cpu-profiles', settings.mode) : undefined,
    gcTrace: settings.gcStats,
  };
  progress(
    `${settings.mode} run of ${selected.length} variants under Node ${node.version}; results go to ${settings.outDir}`,
  );
  const sink = await NodeProcess.start('otlp-sink', benchBundle('otlp-sink'), {}, settings.logDir);
  try {
    const variants = await measureHealthz(sink.url(), settings, selected, launch);
    // Their own directory: the same names as the loaded processes' would write over the logs a loss is read in.
    const instructions = settings.instructions
      ? await measureInstructions(
          selected,
          sink.url(),
          join(settings.logDir, 'callgrind'),
          launch,
          settings.instructions,
        )
      : undefined;
    // The memory check and the micro-benchmarks belong to the standard run; an ablation or a selection is about /healthz.
    const standard = settings.selection === 'standard' && !settings.instructions;
    const unknownUrlsMemory = standard ? await measureMemory(sink.url(), settings, launch) : undefined;
    const { spanCost, metricsRender, messageCost } = standard
      ? await runMicroBenchmarks(settings, node.path, sink.url())
      : {};
    const { outDir, logDir, ...recordedSettings } = settings;
    const results: BenchResults = {
      mode: settings.mode,
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: currentLoadAverage() },
      settings: recordedSettings,
      variants,
      targets: [
        ...(instructions ? checkInstructionTargets(instructions, node.version) : []),
        ...checkTargets(variants, node.version),
        ...(unknownUrlsMemory ? [memoryTarget(unknownUrlsMemory)] : []),
      ],
      ...(settings.selection === 'ablation' ? { ablation: ablationRows(variants) } : {}),
      spanCost,
      metricsRender,
      messageCost,
      unknownUrlsMemory,
      ...(instructions ? { instructions, valgrind } : {}),
    };
    console.log(`\n${writeResults(results, outDir)}`);
    progress(`written to ${outDir}; logs of every process in ${logDir}`);
  } finally {
    await sink.stop();
  }
}

/**
 * The variants this run loads, by `--variants`, `--ablation` or the standard set (with the peers if they
 * install); with `--health-api-build`, each health-api variant once per build given instead.
 */
function selectVariants(settings: BenchSettings): Variant[] {
  const selected = selectedVariants(settings);
  if (settings.healthApiBuilds.length === 0) return selected;
  return selected.flatMap((variant) =>
    variant.program === 'health-api' ? settings.healthApiBuilds.map((build) => fromBuild(variant, build)) : [variant],
  );
}

function selectedVariants(settings: BenchSettings): Variant[] {
  const all = [...VARIANTS, ...PEER_VARIANTS, ...ABLATION_VARIANTS];
  const byId = (ids: readonly string[]): Variant[] =>
    ids.map((id) => {
      const variant = all.find((candidate) => candidate.id === id);
      if (!variant)
        throw new BenchUsageError(`no variant ${id}; known: ${all.map((candidate) => candidate.id).join(', ')}`);
      return variant;
    });
  if (Array.isArray(settings.selection)) {
    // Each chosen variant's own bare (bare-fastify for a Fastify one) is loaded too, for its ratio.
    const bases = byId(settings.selection).flatMap((variant) => (variant.ratioBase ? [variant.ratioBase] : []));
    const wanted = byId([...new Set([...settings.selection, ...bases])]);
    if (wanted.some((variant) => variant.nodeArgs) && !ensurePeersInstalled())
      throw new Error('the peer variants asked for need bench/peers installed');
    return wanted;
  }
  if (settings.selection === 'ablation') return byId(ABLATION_RUN);
  if (settings.instructions)
    return byId([...INSTRUCTION_VARIANTS, ...(settings.peers && ensurePeersInstalled() ? INSTRUCTION_PEERS : [])]);
  return settings.peers && ensurePeersInstalled() ? [...VARIANTS, ...PEER_VARIANTS] : [...VARIANTS];
}

/** The mode's deadline, or longer when more variants than the standard ones are loaded (or counted under callgrind). */
function deadlineFor(settings: BenchSettings, variantCount: number): number {
  const loadSeconds =
    variantCount *
    settings.processesPerVariant *
    (settings.warmUpSeconds + settings.rounds * (settings.runSeconds + settings.pauseMs / 1000));
  return Math.max(
    settings.deadlineMinutes,
    Math.ceil((2 * (loadSeconds + callgrindSeconds(settings, variantCount))) / 60) + 10,
  );
}

/**
 * A generous estimate of the callgrind part: start-up, then requests at the rate of a busy shared machine,
 * about 50 per second uncounted and 25 counted.
 */
function callgrindSeconds({ instructions }: BenchSettings, variantCount: number): number {
  if (!instructions) return 0;
  const perProcess = 120 + instructions.warmUpRequests / 50 + instructions.countedRequests / 25;
  return variantCount * instructions.processesPerVariant * perProcess;
}

/** Every variant started, loaded round after round, stopped (flushing its spans), and summarised. */
async function measureHealthz(
  sinkUrl: string,
  settings: RunSettings,
  selected: Variant[],
  launch: AppLaunch,
): Promise<VariantResult[]> {
  const variants = await startVariants(sinkUrl, settings, selected, launch);
  let samples;
  try {
    samples = await measureThroughput(variants, settings);
  } finally {
    await stopVariants(variants); // SIGTERM: the apps flush pending spans to the sink
  }
  if (settings.cpuProfile) {
    const files = summarizeCpuProfiles(variants, join(settings.outDir, 'profiles'));
    progress(`CPU profiles summarised: ${files.length} files in ${join(settings.outDir, 'profiles')}`);
  }
  const results = summarizeVariants(variants, samples, await readSinkStats(sinkUrl));
  return settings.gcStats ? results.map((result) => ({ ...result, gc: gcStatsOf(variants, result.id) })) : results;
}

/** `--gc-stats`: the GC trace of a variant's processes during the measured rounds, per request. */
function gcStatsOf(variants: RunningVariant[], id: string): GcStats {
  const processes = variants.filter((running) => running.variant.id === id && running.gcWindow);
  const totals = processes.map(({ app, gcWindow }) =>
    sumGcTrace(app.logBetween(gcWindow?.start ?? 0, gcWindow?.end ?? 0)),
  );
  return gcStatsPerRequest(
    totals,
    processes.reduce((sum, running) => sum + (running.gcWindow?.responses ?? 0), 0),
  );
}

async function runMicroBenchmarks(
  settings: BenchSettings,
  node: string,
  sinkUrl: string,
): Promise<{ spanCost: SpanCostCase[]; metricsRender: MetricsRenderResult; messageCost: MessageCostCase[] }> {
  progress('@Span() micro-benchmark');
  const spanCost = (await runMicroBenchmark<{ cases: SpanCostCase[] }>('span-cost', settings.spanCost, node)).cases;
  progress(`/metrics render with ${settings.metricsRender.series} series`);
  const metricsRender = await runMicroBenchmark<MetricsRenderResult>('metrics-render', settings.metricsRender, node);
  progress(`microservice messages, ${settings.messageCost.messages} round trips per process`);
  const messageCost = await measureMessageCost(settings.messageCost, sinkUrl, node);
  return { spanCost, metricsRender, messageCost };
}

async function startVariants(
  sinkUrl: string,
  settings: BenchSettings,
  selected: Variant[],
  launch: AppLaunch,
): Promise<RunningVariant[]> {
  const variants: RunningVariant[] = [];
  try {
    for (let replica = 0; replica < settings.processesPerVariant; replica++) {
      for (const variant of selected) {
        const running = await startVariant(variant, sinkUrl, settings.logDir, replica, launch);
        variants.push(running);
        progress(`started ${running.app.name} at ${running.app.url()}`);
      }
    }
  } catch (error) {
    await stopVariants(variants);
    throw error;
  }
  return variants;
}

async function stopVariants(variants: RunningVariant[]): Promise<void> {
  await Promise.all(
    variants.map(async ({ app }) => {
      const code = await app.stop();
      if (code !== 0) progress(`${app.name} exited with ${code}`);
      reportWarnings(app);
    }),
  );
}

async function measureMemory(
  sinkUrl: string,
  settings: BenchSettings,
  launch: AppLaunch,
): Promise<UnknownUrlsMemoryResult> {
  const variant = VARIANTS.find((candidate) => candidate.id === MEMORY_CHECK_VARIANT);
  if (!variant) throw new Error(`no variant ${MEMORY_CHECK_VARIANT}`);
  progress(`unknown URLs: ${settings.unknownUrls.requests} distinct ones to a fresh ${variant.id}`);
  // Numbered after the throughput processes, so that its log does not overwrite theirs.
  const running = await startVariant(variant, sinkUrl, settings.logDir, settings.processesPerVariant, {
    ...launch,
    cpuProfileRoot: undefined,
    gcTrace: false,
    memoryProbe: true,
  });
  try {
    return await measureUnknownUrlsMemory(running, settings);
  } finally {
    await stopVariants([running]);
  }
}

/** Anything an app logged at warning or error level (an export failure, dropped spans) is shown. */
function reportWarnings(app: NodeProcess): void {
  const lines = app.logs.split('\n').filter((line) => /\b(WARN|ERROR|error|warn|Dropped)\b/.test(line));
  if (lines.length > 0) progress(`${app.name} logged:\n  ${lines.slice(0, 10).join('\n  ')}`);
}

function failAfterDeadline(settings: BenchSettings): void {
  setTimeout(() => {
    console.error(
      `bench: still running after ${settings.deadlineMinutes} min; stopping (every started process is killed)`,
    );
    process.exit(1);
  }, settings.deadlineMinutes * 60_000).unref();
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchUsageError ? `bench: ${error.message}` : error);
  process.exit(1);
});
