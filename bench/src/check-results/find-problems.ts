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
  for (const id of ['full-protobuf', 'full-json', 'sampled-10pct'] as const) {
    positive(`${id}.spansPerRequest`, results.variants.find((variant) => variant.id === id)?.spansPerRequest);
  }
  for (const id of SPAN_COST_CASES) {
    positive(`spanCost ${id} nsPerCall`, results.spanCost.find((item) => item.id === id)?.nsPerCall);
  }
  positive(
    'spanCost span-sampled-batch-export spansExported',
    results.spanCost.find((item) => item.id === 'span-sampled-batch-export')?.spansExported,
  );
  for (const key of ['series', 'collectMs', 'serializeMs', 'scrapeMs', 'bodyBytes', 'bodyLines'] as const) {
    positive(`metricsRender.${key}`, results.metricsRender[key]);
  }
  if (results.metricsRender.bodyLines < results.metricsRender.series) {
    problems.push(
      `/metrics rendered ${results.metricsRender.bodyLines} samples for ${results.metricsRender.series} series`,
    );
  }
  const memory = results.unknownUrlsMemory;
  positive('unknownUrlsMemory.before.rssMb', memory.before.rssMb);
  positive('unknownUrlsMemory.after.rssMb', memory.after.rssMb);
  if (memory.after.requests !== memory.requests)
    problems.push(`unknown URLs: ${memory.after.requests} of ${memory.requests} requests sent`);
  if (memory.unexpectedStatus !== 0) problems.push(`unknown URLs: ${memory.unexpectedStatus} answers were not 404`);
  return problems;
}
