import { PEER_VARIANT_IDS } from '../run-bench/peer-variants';
import type { BenchResults, VariantResult } from './bench-results';
import { fixed, integer } from './format';
import { instructionAblationTable, instructionFunctionsTable, instructionsTable } from './instructions-table';
import type { MemoryCheckpoint } from '../run-bench/unknown-urls-memory';

/** The figures as markdown: the tables the README's Benchmark section shows. */
export function renderMarkdown(results: BenchResults): string {
  const { spanCost, metricsRender, messageCost, unknownUrlsMemory, ablation } = results;
  const section = (title: string, body: string | undefined): string[] => (body ? [`## ${title}`, '', body, ''] : []);
  return [
    `# Benchmark results (${results.mode} run, Node ${results.machine.node})`,
    '',
    describeRun(results),
    '',
    ...section('Instructions per request (`--instructions`, callgrind)', instructionsTable(results)),
    ...section('Ablation in instructions: what each part adds', instructionAblationTable(results)),
    ...section('Instructions per request by function', instructionFunctionsTable(results)),
    '## `GET /healthz` under load',
    '',
    variantTable(results.variants),
    '',
    '## Targets (reported, never asserted)',
    '',
    targetLines(results),
    '',
    ...section('Against the peers, on the same bare app', peerTable(results.variants)),
    ...section('Ablation: what each part adds, in CPU per request', ablation && ablationTable(results)),
    ...section("Garbage collection (`--gc-stats`: V8's GC trace over the measured rounds)", gcTable(results.variants)),
    ...section('`@Span()` cost per call', spanCost && spanCostTable(spanCost)),
    ...section('`/metrics` render', metricsRender && metricsRenderTable(metricsRender)),
    ...section('A microservice message, traced', messageCost && messageCostTable(messageCost)),
    ...section('RSS under distinct unknown URLs', unknownUrlsMemory && memoryTable(unknownUrlsMemory)),
  ].join('\n');
}

/** Our library on the bare app and every peer agent, as CPU µs per request above bare's. */
function peerTable(variants: VariantResult[]): string | undefined {
  const bare = variants.find((variant) => variant.id === 'bare');
  const rows = variants.filter(
    (variant) => variant.id === 'lib-on-bare' || (PEER_VARIANT_IDS as readonly string[]).includes(variant.id),
  );
  if (!bare || !rows.some((variant) => variant.id !== 'lib-on-bare')) return undefined;
  return [
    '| variant | ÷ bare (req/s) | app CPU µs / request | overhead over bare, CPU µs / request | spans at the sink / request |',
    '|---|--:|--:|--:|--:|',
    ...rows
      .sort((a, b) => a.cpuUsPerRequest - b.cpuUsPerRequest)
      .map(
        (variant) =>
          `| \`${variant.id}\` | ${fixed(variant.ratioToBare, 3)} | ${integer(variant.cpuUsPerRequest)} | ` +
          `${fixed(variant.cpuUsPerRequest - bare.cpuUsPerRequest, 1)} | ` +
          `${variant.spansPerRequest === null ? 'none received' : fixed(variant.spansPerRequest, 2)} |`,
      ),
  ].join('\n');
}

function ablationTable({ ablation = [] }: BenchResults): string {
  return [
    'Each row is one step of the ladder against the step before, both loaded in the same interleaved run: the ' +
      'marginal cost is the median of the per-round differences (step − base, same round, same process index), ' +
      'and their range shows what the run resolves. A range that spans 0 is not a measured cost.',
    '',
    '| part | step | against | step CPU µs / request | marginal CPU µs / request | per-round range | marginal KB allocated / request | step ÷ bare (req/s) |',
    '|---|---|---|--:|--:|--:|--:|--:|',
    ...ablation.map(
      (row) =>
        `| ${row.part} | \`${row.variant}\` | \`${row.base}\` | ${fixed(row.cpuUsPerRequest, 1)} | ` +
        `${signed(row.marginalCpuUs)} | ${signed(row.marginalRangeUs[0])} … ${signed(row.marginalRangeUs[1])} | ` +
        `${row.marginalAllocatedKb === undefined ? '—' : signed(row.marginalAllocatedKb)} | ${fixed(row.ratioToBare, 3)} |`,
    ),
  ].join('\n');
}

/** Per variant, what the JS heap allocated and promoted per request: figures that machine load does not move. */
function gcTable(variants: VariantResult[]): string | undefined {
  const measured = variants.filter((variant) => variant.gc);
  if (measured.length === 0) return undefined;
  return [
    '| variant | KB allocated / request | KB promoted / request | GC pause µs / request | scavenges | mark-compacts |',
    '|---|--:|--:|--:|--:|--:|',
    ...measured.map(({ id, gc }) =>
      gc
        ? `| \`${id}\` | ${fixed(gc.allocatedKbPerRequest, 1)} | ${fixed(gc.promotedKbPerRequest, 2)} | ` +
          `${fixed(gc.pauseUsPerRequest, 1)} | ${gc.scavenges} | ${gc.markCompacts} |`
        : '',
    ),
  ].join('\n');
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${fixed(value, 1)}`;
}

function describeRun({ machine, settings, startedAt }: BenchResults): string {
  return (
    `${startedAt}, commit ${machine.commit}${machine.uncommittedAppOrLibChanges ? ' (with uncommitted changes in apps/ or libs/)' : ''}; ` +
    `${machine.cpus} × ${machine.cpuModel}, ${integer(machine.memoryMb)} MB, Node ${machine.node}; ` +
    `load average ${fixed(machine.loadAverageAtStart, 2)} at start, ${fixed(machine.loadAverageAtEnd ?? Number.NaN, 2)} at end (shared machine). ` +
    `${settings.processesPerVariant} process(es) per variant, each loaded in ${settings.rounds} interleaved rounds × ${settings.runSeconds} s ` +
    `after ${settings.warmUpSeconds} s of warm-up, ${settings.connections} connections, autocannon on the same machine; ` +
    `medians over rounds and processes.`
  );
}

function variantTable(variants: VariantResult[]): string {
  const rows = variants.map(
    (variant) =>
      `| \`${variant.id}\` | ${integer(variant.requestsPerSecond)} | ${fixed(variant.ratioToBare, 3)}${ofOtherBare(variant)} | ${fixed(variant.p50Ms, 2)} | ` +
      `${fixed(variant.p99Ms, 2)} | ${integer(variant.cpuUsPerRequest)} | ${fixed(variant.idleRssMb, 1)} → ${fixed(variant.rssMb, 1)} | ` +
      `${variant.spansPerRequest === null ? '—' : fixed(variant.spansPerRequest, 2)} |`,
  );
  return [
    '| variant | req/s | ÷ bare | p50 ms | p99 ms | app CPU µs / request | RSS MB idle → loaded | spans exported / request |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
    ...rows,
  ].join('\n');
}

/** Names the bare a ratio is taken against when it is not express's `bare` (Fastify's, for a Fastify variant). */
function ofOtherBare(variant: VariantResult): string {
  return variant.ratioBase === 'bare' ? '' : ` (÷ \`${variant.ratioBase}\`)`;
}

function targetLines({ targets }: BenchResults): string {
  return targets
    .map(
      (target) =>
        `- ${target.target}: ${target.measured} — **${target.met === null ? 'not measured' : target.met ? 'met' : 'not met'}**`,
    )
    .join('\n');
}

function spanCostTable(spanCost: NonNullable<BenchResults['spanCost']>): string {
  const rows = spanCost.map(
    (item) =>
      `| ${item.label} | ${integer(item.nsPerCall)} | ${integer(item.overheadNs)} | ` +
      `${item.spansExported === null ? '—' : `${integer(item.spansExported)} of ${integer(item.calls)}`} |`,
  );
  return ['| case | ns / call | overhead ns | spans exported |', '|---|--:|--:|--:|', ...rows].join('\n');
}

function messageCostTable(messageCost: NonNullable<BenchResults['messageCost']>): string {
  const rows = messageCost.map(
    (item) =>
      `| ${item.label} | ${fixed(item.cpuUsPerMessage, 1)} | ${fixed(item.overheadCpuUs, 1)} | ` +
      `${fixed(item.elapsedUsPerMessage, 1)} | ` +
      `${item.spansExported === null ? '—' : `${integer(item.spansExported)} of ${integer(item.messages)}`} |`,
  );
  return [
    'Request-response round trips over Nest’s TCP transport, client and server in one process: its CPU per message',
    '(both ends), median over the processes of each case.',
    '',
    '| case | CPU µs / message | overhead CPU µs | elapsed µs / message | spans exported |',
    '|---|--:|--:|--:|--:|',
    ...rows,
  ].join('\n');
}

function metricsRenderTable(render: NonNullable<BenchResults['metricsRender']>): string {
  return [
    '| series | collect ms | serialize ms | scrape over HTTP ms | body |',
    '|--:|--:|--:|--:|--:|',
    `| ${integer(render.series)} | ${fixed(render.collectMs, 1)} | ${fixed(render.serializeMs, 1)} | ${fixed(render.scrapeMs, 1)} | ` +
      `${integer(render.bodyBytes / 1024)} KiB, ${integer(render.bodyLines)} samples |`,
    '',
    `Each format on the same collection of ${integer(render.series)} series (the walk included):`,
    '',
    '| serializer | serialize ms | body KiB |',
    '|---|--:|--:|',
    ...render.formats.map(
      (format) => `| ${format.label} | ${fixed(format.serializeMs, 1)} | ${integer(format.bodyBytes / 1024)} |`,
    ),
  ].join('\n');
}

function afterGcFigures(afterGc: MemoryCheckpoint['afterGc']): string {
  if (!afterGc) return '— | — | — | —';
  return [afterGc.rssMb, afterGc.heapUsedMb, afterGc.newSpaceMb, afterGc.oldSpaceMb]
    .map((mb) => fixed(mb, 1))
    .join(' | ');
}

function memoryTable(memory: NonNullable<BenchResults['unknownUrlsMemory']>): string {
  const rows = memory.checkpoints.map(
    (checkpoint) =>
      `| ${integer(checkpoint.requests)} | ${fixed(checkpoint.rssMb, 1)} | ${afterGcFigures(checkpoint.afterGc)} | ` +
      `${integer(checkpoint.metricsSamples)} | ${integer(checkpoint.httpServerSamples)} |`,
  );
  return [
    `\`${memory.variant}\`, fresh process, ${integer(memory.warmUpRequests)} unknown URLs of warm-up before the first reading; ` +
      `RSS ${fixed(memory.before.rssMb, 1)} MB before, ${fixed(memory.after.rssMb, 1)} MB after ${integer(memory.requests)} requests ` +
      `(${memory.unexpectedStatus} answers other than 404). "After GC": the app's memory once a full GC has run ` +
      '(the memory probe): RSS, the heap it keeps, and what V8 holds committed for its young and old generations.',
    '',
    '| unknown URLs | RSS MB | after GC: RSS | heap used | new space | old space | /metrics samples | http_server_* |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...rows,
  ].join('\n');
}
