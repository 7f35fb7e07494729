#!/usr/bin/env node
// npm run prometheus [-- --health-api 127.0.0.1:3000 --gateway-api 127.0.0.1:3001 --listen 127.0.0.1:9090 --native-histograms]
// Starts Debian's prometheus scraping the running services; its UI is at the listen address. Ctrl-C stops it.
// A service that is not running just shows as down (up == 0).
const { parseArgs } = require('node:util');
const { graphUrl, renderConfig, startPrometheus } = require('./prometheus.cjs');

async function main() {
  const { values } = parseArgs({
    options: {
      'health-api': { type: 'string', default: '127.0.0.1:3000' },
      'gateway-api': { type: 'string', default: '127.0.0.1:3001' },
      listen: { type: 'string', default: '127.0.0.1:9090' },
      // Scrape protobuf and store http_server_request_duration_seconds as a native histogram.
      'native-histograms': { type: 'boolean', default: false },
    },
  });
  const targets = { 'health-api': values['health-api'], 'gateway-api': values['gateway-api'] };
  const prometheus = await startPrometheus({
    config: renderConfig({ targets }),
    listen: values.listen,
    nativeHistograms: values['native-histograms'],
  });
  for (const [job, target] of Object.entries(targets))
    console.log(`Prometheus scraping ${job} at http://${target}/metrics every 5s`);
  console.log(`UI: ${graphUrl(prometheus.url, 'healthz_count_total')}  (Ctrl-C to stop)`);
  console.log(
    "This UI shows no exemplars (the trace ids the apps attach to healthz_count_total); list the last hour's with:\n" +
      `  curl "${prometheus.url}/api/v1/query_exemplars?query=healthz_count_total&start=$(($(date +%s)-3600))&end=$(date +%s)"`,
  );
  const stop = () => prometheus.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
