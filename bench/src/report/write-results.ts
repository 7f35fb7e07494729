import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchResults, RESULT_FILES } from './bench-results';
import { renderMarkdown } from './markdown-report';
import { renderChart } from './svg-chart';

/** Writes results.json, results.md and chart.svg into `outDir`; returns the markdown. */
export function writeResults(results: BenchResults, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const markdown = renderMarkdown(results);
  writeFileSync(join(outDir, RESULT_FILES.json), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, RESULT_FILES.markdown), markdown);
  writeFileSync(join(outDir, RESULT_FILES.chart), renderChart(results));
  return markdown;
}
