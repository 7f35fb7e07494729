import type { BenchResults, VariantResult } from './bench-results';
import { fixed, integer } from './format';

/** The figures as markdown: the tables the README's Benchmark section shows. */
export function renderMarkdown(results: BenchResults): string {
  return [
    `# Benchmark results (${results.mode} run)`,
    '',
    describeRun(results),
    '',
    '## `GET /healthz` under load',
    '',
    variantTable(results.variants),
    '',
    targetLines(results),
    '',
    '## `@Span()` cost per call',
    '',
    spanCostTable(results),
    '',
    '## `/metrics` render',
    '',
    metricsRenderTable(results),
    '',
    '## RSS under distinct unknown URLs',
    '',
    memoryTable(results),
    '',
  ].join('\n');
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
      `| \`${variant.id}\` | ${integer(variant.requestsPerSecond)} | ${fixed(variant.ratioToBare, 3)} | ${fixed(variant.p50Ms, 2)} | ` +
      `${fixed(variant.p99Ms, 2)} | ${integer(variant.cpuUsPerRequest)} | ${fixed(variant.idleRssMb, 1)} → ${fixed(variant.rssMb, 1)} | ` +
      `${variant.spansPerRequest === null ? '—' : fixed(variant.spansPerRequest, 2)} |`,
  );
  return [
    '| variant | req/s | ÷ bare | p50 ms | p99 ms | app CPU µs / request | RSS MB idle → loaded | spans exported / request |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
    ...rows,
  ].join('\n');
}

function targetLines({ targets }: BenchResults): string {
  return targets
    .map(
      (target) =>
        `- target \`${target.variant}\` ≥ ${fixed(target.minimumRatio, 2)} × bare: measured ${fixed(target.ratio, 3)} — ` +
        `${target.met ? 'met' : 'not met'}`,
    )
    .join('\n');
}

function spanCostTable({ spanCost }: BenchResults): string {
  const rows = spanCost.map(
    (item) =>
      `| ${item.label} | ${integer(item.nsPerCall)} | ${integer(item.overheadNs)} | ` +
      `${item.spansExported === null ? '—' : `${integer(item.spansExported)} of ${integer(item.calls)}`} |`,
  );
  return ['| case | ns / call | overhead ns | spans exported |', '|---|--:|--:|--:|', ...rows].join('\n');
}

function metricsRenderTable({ metricsRender: render }: BenchResults): string {
  return [
    '| series | collect ms | serialize ms | scrape over HTTP ms | body |',
    '|--:|--:|--:|--:|--:|',
    `| ${integer(render.series)} | ${fixed(render.collectMs, 1)} | ${fixed(render.serializeMs, 1)} | ${fixed(render.scrapeMs, 1)} | ` +
      `${integer(render.bodyBytes / 1024)} KiB, ${integer(render.bodyLines)} samples |`,
  ].join('\n');
}

function memoryTable({ unknownUrlsMemory: memory }: BenchResults): string {
  const rows = memory.checkpoints.map(
    (checkpoint) =>
      `| ${integer(checkpoint.requests)} | ${fixed(checkpoint.rssMb, 1)} | ${integer(checkpoint.metricsSamples)} | ${integer(checkpoint.httpServerSamples)} |`,
  );
  return [
    `\`${memory.variant}\`, fresh process, ${integer(memory.warmUpRequests)} unknown URLs of warm-up before the first reading; ` +
      `RSS ${fixed(memory.before.rssMb, 1)} MB before, ${fixed(memory.after.rssMb, 1)} MB after ${integer(memory.requests)} requests ` +
      `(${memory.unexpectedStatus} answers other than 404).`,
    '',
    '| distinct unknown URLs requested | RSS MB | /metrics samples | of which http_server_* |',
    '|--:|--:|--:|--:|',
    ...rows,
  ].join('\n');
}
