#!/usr/bin/env node
// The prometheus-rules test target: every promtool check, silent when all pass; a failing one prints its output.
// Run from tools/prometheus (the Nx target's cwd). `check config` also checks the rule files it loads, but prints
// them a second time, hence the captured output.
const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const { promtool } = require('./prometheus.cjs');

const files = (dir, suffix) =>
  readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => join(dir, name));

const checks = [
  ['check', 'rules', ...files('rules', '.rules.yml')],
  ['test', 'rules', ...files(join('rules', 'tests'), '.test.yml')],
  ['check', 'config', 'prometheus.yml'],
];

let failed = false;
for (const args of checks) {
  const { status, output } = promtool(args);
  if (status !== 0) {
    failed = true;
    console.error(`promtool ${args.join(' ')} failed:\n${output}`);
  }
}
process.exit(failed ? 1 : 0);
