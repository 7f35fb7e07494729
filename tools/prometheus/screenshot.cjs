#!/usr/bin/env node
// node tools/prometheus/screenshot.cjs [--skip-build] [--out docs/images/prometheus-healthz-count.png]
//
// Makes the screenshot of the README (docs/images/prometheus-healthz-count.png): Prometheus graphing
// healthz_count_total while health-api answers /healthz. It builds health-api (`npx nx build health-api`, no Nx
// daemon; --skip-build reuses dist/apps/health-api/main.js), starts it on a free 127.0.0.1 port, starts Debian's
// prometheus on another one against it (scrape every second), calls /healthz every 200 ms for about 70 s, then
// has Debian's headless chromium (`apt-get install -y prometheus chromium`) screenshot the UI's graph page.
// Everything listens on 127.0.0.1 only, and everything started (app, prometheus, chromium and its helpers, their
// temporary folders) is stopped and removed before it exits, also on failure or Ctrl-C. Runs as root too
// (chromium's --no-sandbox). Takes about 1.5 minutes.
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { dirname, join, resolve } = require('node:path');
const { parseArgs } = require('node:util');
const { freeLoopbackPort, graphUrl, query, renderConfig, startPrometheus } = require('./prometheus.cjs');

const WORKSPACE_ROOT = join(__dirname, '../..');
const MAIN = join(WORKSPACE_ROOT, 'dist/apps/health-api/main.js');
const EXPR = 'healthz_count_total';
const LOAD_MS = 70_000;
const CALL_EVERY_MS = 200;
const CHROMIUM_TIMEOUT_MS = 60_000;

/** What to undo, newest first, whatever happens. */
const cleanups = [];

async function main() {
  const { values } = parseArgs({
    options: {
      'skip-build': { type: 'boolean', default: false },
      out: { type: 'string', default: join(WORKSPACE_ROOT, 'docs/images/prometheus-healthz-count.png') },
    },
  });
  const out = resolve(values.out);
  if (!values['skip-build']) build();
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npx nx build health-api`);

  const app = await startApp();
  console.log(`health-api on ${app.origin}`);
  const prometheus = await startPrometheus({ config: renderConfig({ target: app.host, scrapeInterval: '1s' }) });
  cleanups.push(prometheus.stop);
  console.log(`prometheus on ${prometheus.url}`);

  console.log(`calling ${app.origin}/healthz every ${CALL_EVERY_MS} ms for ${LOAD_MS / 1000} s`);
  let calls = 0;
  for (const deadline = Date.now() + LOAD_MS; Date.now() < deadline; calls += 1) {
    const response = await fetch(new URL('/healthz', app));
    if (!response.ok) throw new Error(`GET /healthz: ${response.status}`);
    await response.arrayBuffer();
    await sleep(CALL_EVERY_MS);
  }
  // The start-up check called /healthz too.
  const scraped = await waitForAtLeast(prometheus.url, `${EXPR}{job="health-api"}`, calls);
  console.log(`${calls} calls; ${EXPR} is ${scraped} in Prometheus`);

  // The last minute: the calls fill the whole graph.
  const url = graphUrl(prometheus.url, EXPR, '1m');
  await screenshot(url, out);
  console.log(`${out} (${statSync(out).size} bytes) from ${url}`);
}

function build() {
  console.log('npx nx build health-api');
  const result = spawnSync('npx', ['nx', 'build', 'health-api'], {
    cwd: WORKSPACE_ROOT,
    // No daemon left running behind this script, no Nx Cloud, plain output.
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    stdio: 'inherit',
  });
  if (result.status !== 0)
    throw new Error(`npx nx build health-api failed (${result.error?.message ?? result.status})`);
}

/** The built app on a free loopback port, as in the e2e suite (only PATH of the environment passed on). */
async function startApp() {
  const port = await freeLoopbackPort();
  const child = spawn(process.execPath, [MAIN], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const exited = new Promise((resolve) => child.once('close', resolve));
  cleanups.push(() => stopChild(child, exited));
  const url = new URL(`http://127.0.0.1:${port}`);
  for (const deadline = Date.now() + 20_000; ;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`health-api exited:\n${log}`);
    try {
      if ((await fetch(new URL('/healthz', url))).ok) return url;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`health-api not answering on ${url} after 20 s:\n${log}`);
    await sleep(200);
  }
}

async function stopChild(child, exited) {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Resolves to the value of `promql` once it reaches `least` (all the calls made scraped). */
async function waitForAtLeast(url, promql, least) {
  let value;
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(500)) {
    value = Number((await query(url, promql))[0]?.value[1]);
    if (value >= least) return value;
  }
  throw new Error(`${promql} is ${value} in Prometheus, not at least ${least}`);
}

/**
 * Debian's headless chromium, in a process group of its own so that it and all its helpers are killed by id
 * afterwards; a fresh profile, no network but loopback, nothing listening.
 */
async function screenshot(url, out) {
  mkdirSync(dirname(out), { recursive: true });
  rmSync(out, { force: true });
  const profile = mkdtempSync(join(tmpdir(), 'obs-chromium-'));
  cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
  const child = spawn(
    process.env.CHROMIUM ?? 'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--hide-scrollbars',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      `--user-data-dir=${profile}`,
      // Tall enough for the whole graph and its legend.
      '--window-size=1280,860',
      // Lets the page's queries and the graph's drawing finish before the shot.
      '--virtual-time-budget=10000',
      `--screenshot=${out}`,
      url,
    ],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (chunk) => (log += chunk));
  const closed = new Promise((resolve) => child.once('close', resolve));
  const spawned = new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new Error(`chromium: ${error.message} (apt-get install -y chromium)`)));
  });
  await spawned;
  // Whatever happens next, the group goes: chromium and any helper of it still alive.
  cleanups.push(() => killGroup(child.pid));
  const timer = setTimeout(() => killGroup(child.pid), CHROMIUM_TIMEOUT_MS);
  const code = await closed;
  clearTimeout(timer);
  if (!existsSync(out)) throw new Error(`chromium wrote no ${out} (exit ${code}):\n${log}`);
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function cleanup() {
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()();
    } catch (error) {
      console.error(`cleanup: ${error.message}`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => cleanup().then(() => process.exit(130)));

main()
  .then(cleanup)
  .catch(async (error) => {
    console.error(error.message);
    await cleanup();
    process.exit(1);
  });
