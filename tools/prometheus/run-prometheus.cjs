#!/usr/bin/env node
// npm run prometheus [-- --health-api 127.0.0.1:3000 --gateway-api 127.0.0.1:3001 --listen 127.0.0.1:9090 --native-histograms]
// Starts Debian's prometheus scraping health-api (and gateway-api only when --gateway-api names its address); its UI
// is at the listen address. Ctrl-C stops it. A busy listen address is one line and exit status 1; a target that is not
// running is one line saying how to start it (Prometheus shows it as down, up == 0, until then).
const { parseArgs } = require('node:util');
const {
  addressInUse,
  addressInUseMessage,
  graphUrl,
  reachable,
  renderConfig,
  startPrometheus,
} = require('./prometheus.cjs');

const HOW_TO_START = {
  'health-api': 'npm start',
  'gateway-api': 'npm run nx -- serve gateway-api',
};

async function main() {
  const { values } = parseArgs({
    options: {
      'health-api': { type: 'string', default: '127.0.0.1:3000' },
      // Not scraped unless given: `npm start` runs health-api only.
      'gateway-api': { type: 'string' },
      listen: { type: 'string', default: '127.0.0.1:9090' },
      // Scrape protobuf and store http_server_request_duration_seconds as a native histogram.
      'native-histograms': { type: 'boolean', default: false },
    },
  });
  const targets = { 'health-api': values['health-api'] };
  if (values['gateway-api'] !== undefined) targets['gateway-api'] = values['gateway-api'];
  if (await addressInUse(values.listen)) throw new Error(await addressInUseMessage(values.listen));
  const prometheus = await startPrometheus({
    config: renderConfig({ targets }),
    listen: values.listen,
    nativeHistograms: values['native-histograms'],
  });
  // Before any line is printed: whoever reads the UI line and stops the runner must stop Prometheus with it.
  const stop = () => prometheus.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for (const [job, target] of Object.entries(targets)) {
    console.log(`Prometheus scraping ${job} at http://${target}/metrics every 5s`);
    if (!(await reachable(target)))
      console.log(
        `  ${job} is not running at ${target} (down, up == 0, until it is): start it with ${HOW_TO_START[job]}`,
      );
  }
  if (values['gateway-api'] === undefined)
    console.log('Not scraping gateway-api: add --gateway-api 127.0.0.1:3001 to scrape it too');
  console.log(`UI: ${graphUrl(prometheus.url, 'healthz_count_total')}  (Ctrl-C to stop)`);
  console.log(
    "This UI shows no exemplars (the trace ids the apps attach to healthz_count_total); list the last hour's with:\n" +
      `  curl "${prometheus.url}/api/v1/query_exemplars?query=healthz_count_total&start=$(($(date +%s)-3600))&end=$(date +%s)"`,
  );
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
