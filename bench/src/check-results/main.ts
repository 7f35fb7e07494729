// node dist/bench/check-results.js <dir>: the smoke test's verdict on a bench run's output. Exits 1 and
// lists the problems when a result file is missing or a variant or figure is absent or not > 0.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchResults, RESULT_FILES } from '../report/bench-results';
import { VARIANT_IDS } from '../run-bench/variants';
import { findProblems } from './find-problems';

function checkFiles(dir: string): string[] {
  const missing = Object.values(RESULT_FILES).filter(
    (file) => !existsSync(join(dir, file)) || statSync(join(dir, file)).size === 0,
  );
  if (missing.length > 0) return missing.map((file) => `${join(dir, file)} is missing or empty`);
  const markdown = readFileSync(join(dir, RESULT_FILES.markdown), 'utf8');
  const chart = readFileSync(join(dir, RESULT_FILES.chart), 'utf8');
  const problems = VARIANT_IDS.filter((id) => !markdown.includes(`\`${id}\``)).map(
    (id) => `${RESULT_FILES.markdown} lacks ${id}`,
  );
  problems.push(
    ...VARIANT_IDS.filter((id) => !chart.includes(`>${id}<`)).map((id) => `${RESULT_FILES.chart} lacks ${id}`),
  );
  if (!chart.trimStart().startsWith('<svg')) problems.push(`${RESULT_FILES.chart} is not an SVG`);
  return problems;
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: check-results <results dir>');
  process.exit(2);
}
const fileProblems = checkFiles(dir);
const problems =
  fileProblems.length > 0
    ? fileProblems
    : findProblems(JSON.parse(readFileSync(join(dir, RESULT_FILES.json), 'utf8')) as BenchResults);
if (problems.length > 0) {
  console.error(`bench results in ${dir} are incomplete:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`bench results in ${dir}: every file, variant and figure present (${VARIANT_IDS.length} variants)`);
