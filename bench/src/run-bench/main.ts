// npm run bench [-- --smoke] [-- --out <dir>]
// Loads GET /healthz on a bare Nest app and on health-api with telemetry off, on, sampled, exported as
// protobuf or JSON, side by side and interleaved; then @Span() cost, /metrics render time and RSS under
// unknown URLs. Writes results.json, results.md and chart.svg. Everything on loopback, bounded, and every
// process it starts is killed when it ends, even on failure.
import { checkTargets, summarizeVariants } from '../report/summarize-variants';
import type { BenchResults, VariantResult } from '../report/bench-results';
import { writeResults } from '../report/write-results';
import type { MetricsRenderResult } from '../metrics-render/metrics-render-result';
import type { SpanCostCase } from '../span-cost/span-cost-result';
import { type BenchSettings, readBenchSettings } from './bench-settings';
import { currentLoadAverage, describeMachine } from './machine';
import { NodeProcess } from './node-process';
import { benchBundle } from './paths';
import { progress } from './progress';
import { runMicroBenchmark } from './run-micro-benchmark';
import { type RunningVariant, startVariant } from './running-variant';
import { readSinkStats } from './sink-stats-client';
import { measureThroughput } from './throughput';
import { measureUnknownUrlsMemory, type UnknownUrlsMemoryResult } from './unknown-urls-memory';
import { VARIANTS } from './variants';

/** The variant whose memory is watched under unknown URLs: the one with the most to leak. */
const MEMORY_CHECK_VARIANT = 'full-protobuf';

async function main(): Promise<void> {
  const settings = readBenchSettings(process.argv.slice(2));
  failAfterDeadline(settings);
  const startedAt = new Date().toISOString();
  const machine = describeMachine();
  progress(`${settings.mode} run; results go to ${settings.outDir}`);
  const sink = await NodeProcess.start('otlp-sink', benchBundle('otlp-sink'), {}, settings.logDir);
  try {
    const variants = await measureHealthz(sink.url(), settings);
    const unknownUrlsMemory = await measureMemory(sink.url(), settings);
    const { spanCost, metricsRender } = await runMicroBenchmarks(settings);
    const { outDir, logDir, ...recordedSettings } = settings;
    const results: BenchResults = {
      mode: settings.mode,
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: currentLoadAverage() },
      settings: recordedSettings,
      variants,
      targets: checkTargets(variants),
      spanCost,
      metricsRender,
      unknownUrlsMemory,
    };
    console.log(`\n${writeResults(results, outDir)}`);
    progress(`written to ${outDir}; logs of every process in ${logDir}`);
  } finally {
    await sink.stop();
  }
}

/** Every variant started, loaded round after round, stopped (flushing its spans), and summarised. */
async function measureHealthz(sinkUrl: string, settings: BenchSettings): Promise<VariantResult[]> {
  const variants = await startVariants(sinkUrl, settings);
  let samples;
  try {
    samples = await measureThroughput(variants, settings);
  } finally {
    await stopVariants(variants); // SIGTERM: the apps flush pending spans to the sink
  }
  return summarizeVariants(variants, samples, await readSinkStats(sinkUrl));
}

async function runMicroBenchmarks(
  settings: BenchSettings,
): Promise<{ spanCost: SpanCostCase[]; metricsRender: MetricsRenderResult }> {
  progress('@Span() micro-benchmark');
  const spanCost = (await runMicroBenchmark<{ cases: SpanCostCase[] }>('span-cost', settings.spanCost)).cases;
  progress(`/metrics render with ${settings.metricsRender.series} series`);
  const metricsRender = await runMicroBenchmark<MetricsRenderResult>('metrics-render', settings.metricsRender);
  return { spanCost, metricsRender };
}

async function startVariants(sinkUrl: string, settings: BenchSettings): Promise<RunningVariant[]> {
  const variants: RunningVariant[] = [];
  try {
    for (let replica = 0; replica < settings.processesPerVariant; replica++) {
      for (const variant of VARIANTS) {
        const running = await startVariant(variant, sinkUrl, settings.logDir, replica);
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

async function measureMemory(sinkUrl: string, settings: BenchSettings): Promise<UnknownUrlsMemoryResult> {
  const variant = VARIANTS.find((candidate) => candidate.id === MEMORY_CHECK_VARIANT);
  if (!variant) throw new Error(`no variant ${MEMORY_CHECK_VARIANT}`);
  progress(`unknown URLs: ${settings.unknownUrls.requests} distinct ones to a fresh ${variant.id}`);
  // Numbered after the throughput processes, so that its log does not overwrite theirs.
  const running = await startVariant(variant, sinkUrl, settings.logDir, settings.processesPerVariant);
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
  console.error(error);
  process.exit(1);
});
