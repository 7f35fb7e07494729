// Starts Debian's `prometheus` on loopback against the app, for `npm run prometheus` and the e2e suite.
const { spawn, spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { connect, createServer } = require('node:net');
const { dirname, join, resolve } = require('node:path');
const { parseDocument } = require('yaml');

const CONFIG_FILE = join(__dirname, 'prometheus.yml');
const RULES_DIR = join(__dirname, 'rules');
const DEFAULT_TARGETS = { 'health-api': '127.0.0.1:3000', 'gateway-api': '127.0.0.1:3001' };
const INSTALL_HINT = "Debian's prometheus is not installed: apt-get install -y prometheus";

/**
 * The shipped scrape config, scraped and its rules evaluated every `scrapeInterval`, with each job aimed at
 * its address in `targets` (`{ 'health-api': '127.0.0.1:41234' }`); jobs left out of `targets` are left out of
 * the config. `target` alone is health-api's. Its `rule_files` (relative to tools/prometheus/) are made
 * absolute, so the config works wherever it is written. Comments and layout of prometheus.yml are kept.
 */
function renderConfig({ target, targets = target ? { 'health-api': target } : DEFAULT_TARGETS, scrapeInterval } = {}) {
  const doc = parseDocument(readFileSync(CONFIG_FILE, 'utf8'), { prettyErrors: true });
  if (doc.errors.length > 0) throw doc.errors[0];
  const jobs = doc.get('scrape_configs');
  jobs.items = jobs.items.filter((job) => targets[job.get('job_name')] !== undefined);
  for (const job of jobs.items) {
    job.setIn(['static_configs', 0, 'targets'], doc.createNode([targets[job.get('job_name')]], { flow: true }));
    if (scrapeInterval && job.has('scrape_interval')) job.set('scrape_interval', scrapeInterval);
  }
  if (scrapeInterval) {
    doc.setIn(['global', 'scrape_interval'], scrapeInterval);
    doc.setIn(['global', 'evaluation_interval'], scrapeInterval);
  }
  // Relative to the folder of prometheus.yml, as Prometheus reads them; the yaml package quotes them as needed.
  for (const file of doc.get('rule_files')?.items ?? []) file.value = resolve(dirname(CONFIG_FILE), file.value);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** `promtool` (shipped with Debian's prometheus) run on `stdin`; resolves to its exit status and output. */
function promtool(args, stdin = '') {
  const result = spawnSync('promtool', args, { input: stdin, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw new Error(`${INSTALL_HINT} (${result.error.message})`);
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** A TCP port free on loopback right now. */
function freeLoopbackPort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `host:port` split at its last colon (`[::1]:9090` keeps its brackets off the host). */
function splitAddress(address) {
  const colon = address.lastIndexOf(':');
  return {
    host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1') || '0.0.0.0',
    port: Number(address.slice(colon + 1)),
  };
}

/** Whether `address` (`host:port`) cannot be listened on right now because something else holds it. */
function addressInUse(address) {
  const { host, port } = splitAddress(address);
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error) => (error.code === 'EADDRINUSE' ? resolve(true) : reject(error)));
    server.listen(port, host, () => server.close(() => resolve(false)));
  });
}

/** The one line for a busy listen address, naming a free one on the same host to pass instead. */
async function addressInUseMessage(address) {
  const { host, port } = splitAddress(address);
  const hostPart = address.slice(0, address.lastIndexOf(':'));
  let free = port + 1;
  while (free < port + 100 && free <= 65535 && (await addressInUse(`${hostPart}:${free}`).catch(() => true))) free++;
  return `${address} is in use: choose another with --listen ${hostPart}:${free}`;
}

/** Whether something accepts TCP connections at `address` (`host:port`) within `timeoutMs`. */
function reachable(address, timeoutMs = 1000) {
  const { host, port } = splitAddress(address);
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/**
 * Starts prometheus with `config` on `listen` (default: a free loopback port) and a throw-away storage
 * folder; resolves once it is ready. `stop()` ends it and removes the folder. `nativeHistograms` turns on
 * Prometheus' native histograms: it then scrapes the protobuf format and stores a histogram that has
 * native buckets as one native series, without its classic `_bucket`, `_count` and `_sum` series (2.42 has
 * no `scrape_classic_histograms`). A `listen` address already in use rejects with one line naming a free one.
 */
async function startPrometheus({
  config = renderConfig(),
  listen,
  readyTimeoutMs = 30_000,
  nativeHistograms = false,
} = {}) {
  listen ??= `127.0.0.1:${await freeLoopbackPort()}`;
  const workDir = mkdtempSync(join(tmpdir(), 'obs-prometheus-'));
  const configFile = join(workDir, 'prometheus.yml');
  writeFileSync(configFile, config);
  const child = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(workDir, 'data')}`,
      `--web.listen-address=${listen}`,
      // Keeps the exemplars (trace ids) the apps attach to their samples, queryable and shown in graphs.
      `--enable-feature=${nativeHistograms ? 'exemplar-storage,native-histograms' : 'exemplar-storage'}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const exited = new Promise((resolve) => child.once('close', resolve));
  const spawnError = new Promise((_, reject) =>
    child.once('error', (error) => reject(new Error(`${INSTALL_HINT} (${error.message})`))),
  );
  const url = `http://${listen}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      waitUntilReady(url, readyTimeoutMs),
      spawnError,
      exited.then(async () => {
        // Prometheus logs ten lines around its bind error; one line says what to do instead.
        if (/address already in use/.test(log)) throw new Error(await addressInUseMessage(listen));
        throw new Error(`prometheus exited:\n${log}`);
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop, log: () => log };
}

async function waitUntilReady(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`prometheus at ${url} not ready after ${timeoutMs} ms`);
}

/** The exemplars of `promql` between `start` and `end` (seconds since the epoch), per series. */
async function queryExemplars(url, promql, start, end) {
  const params = new URLSearchParams({ query: promql, start: String(start), end: String(end) });
  const body = await (await fetch(`${url}/api/v1/query_exemplars?${params}`)).json();
  if (body.status !== 'success') throw new Error(`query_exemplars ${promql} failed: ${JSON.stringify(body)}`);
  return body.data;
}

/** An instant PromQL query; resolves to the `data.result` vector. */
async function query(url, promql) {
  const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = await response.json();
  if (body.status !== 'success') throw new Error(`query ${promql} failed: ${JSON.stringify(body)}`);
  return body.data.result;
}

/**
 * The UI's graph of `expr` over the last `range`, on the Graph tab. Debian's 2.42 has only the classic UI:
 * /graph redirects there (query kept), and it opens on the Console tab unless given `g0.tab=0`. Upstream's
 * React UI at /graph reads the same parameters.
 */
function graphUrl(url, expr, range = '15m') {
  return `${url}/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=0&g0.range_input=${encodeURIComponent(range)}`;
}

module.exports = {
  CONFIG_FILE,
  RULES_DIR,
  renderConfig,
  promtool,
  freeLoopbackPort,
  addressInUse,
  addressInUseMessage,
  reachable,
  startPrometheus,
  query,
  queryExemplars,
  graphUrl,
};
