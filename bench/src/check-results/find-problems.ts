import type { BenchResults } from '../report/bench-results';
import { VARIANT_IDS } from '../run-bench/variants';

const SPAN_COST_CASES = [
  'plain',
  'span-no-sdk',
  'span-unsampled',
  'span-sampled-noop-processor',
  'span-sampled-batch-export',
];

/**
 * What is missing or not a positive number in a results file. Checks that the bench ran and measured
 * everything; never compares a time or a ratio with a threshold (the figures of a smoke run mean nothing).
 */
export function findProblems(results: BenchResults): string[] {
  const problems: string[] = [];
  const positive = (what: string, value: unknown): void => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      problems.push(`${what} is ${String(value)}, expected > 0`);
  };
  for (const id of VARIANT_IDS) {
    const variant = results.variants.find((candidate) => candidate.id === id);
    if (!variant) {
      problems.push(`variant ${id} is missing`);
      continue;
    }
    for (const key of [
      'requestsPerSecond',
      'ratioToBare',
      'p50Ms',
      'p99Ms',
      'cpuUsPerRequest',
      'rssMb',
      'idleRssMb',
    ] as const) {
      positive(`${id}.${key}`, variant[key]);
    }
    const expected = results.settings.rounds * results.settings.processesPerVariant;
    if (variant.samples.length !== expected)
      problems.push(`${id} has ${variant.samples.length} samples, expected ${expected}`);
  }
  for (const id of ['full-protobuf', 'full-json', 'sampled-10pct', 'lib-on-bare', 'full-protobuf-fastify'] as const) {
    positive(`${id}.spansPerRequest`, results.variants.find((variant) => variant.id === id)?.spansPerRequest);
  }
  if (results.targets.length === 0) problems.push('no target was checked');
  const { spanCost, metricsRender, messageCost, unknownUrlsMemory: memory } = results;
  if (!spanCost || !metricsRender || !messageCost || !memory)
    return [...problems, 'a standard run lacks its micro-benchmarks or memory check'];
  for (const id of ['untraced', 'traced'] as const) {
    positive(`messageCost ${id} cpuUsPerMessage`, messageCost.find((item) => item.id === id)?.cpuUsPerMessage);
  }
  const traced = messageCost.find((item) => item.id === 'traced');
  // Two spans per round trip (PRODUCER and CONSUMER): `messages` counts the warm-up and the measured ones.
  if (traced && traced.spansExported !== traced.messages * 2)
    problems.push(
      `messageCost: ${traced.spansExported} spans exported for ${traced.messages} round trips, not two each`,
    );
  for (const id of SPAN_COST_CASES) {
    positive(`spanCost ${id} nsPerCall`, spanCost.find((item) => item.id === id)?.nsPerCall);
  }
  positive(
    'spanCost span-sampled-batch-export spansExported',
    spanCost.find((item) => item.id === 'span-sampled-batch-export')?.spansExported,
  );
  for (const key of ['series', 'collectMs', 'serializeMs', 'scrapeMs', 'bodyBytes', 'bodyLines'] as const) {
    positive(`metricsRender.${key}`, metricsRender[key]);
  }
  if (metricsRender.bodyLines < metricsRender.series) {
    problems.push(`/metrics rendered ${metricsRender.bodyLines} samples for ${metricsRender.series} series`);
  }
  for (const id of ['exporter-prometheus', 'text', 'openmetrics', 'protobuf'] as const) {
    const format = metricsRender.formats.find((item) => item.id === id);
    positive(`metricsRender ${id} serializeMs`, format?.serializeMs);
    positive(`metricsRender ${id} bodyBytes`, format?.bodyBytes);
  }
  positive('unknownUrlsMemory.before.rssMb', memory.before.rssMb);
  positive('unknownUrlsMemory.after.rssMb', memory.after.rssMb);
  for (const [name, reading] of [
    ['before', memory.before.afterGc],
    ['after', memory.after.afterGc],
  ] as const) {
    positive(`unknownUrlsMemory.${name}.afterGc.heapUsedMb`, reading?.heapUsedMb);
    positive(`unknownUrlsMemory.${name}.afterGc.newSpaceMb`, reading?.newSpaceMb);
  }
  if (!results.targets.some((target) => target.target.startsWith('RSS flat')))
    problems.push('a standard run lacks the RSS target');
  if (memory.after.requests !== memory.requests)
    problems.push(`unknown URLs: ${memory.after.requests} of ${memory.requests} requests sent`);
  if (memory.unexpectedStatus !== 0) problems.push(`unknown URLs: ${memory.unexpectedStatus} answers were not 404`);
  return problems;
}
