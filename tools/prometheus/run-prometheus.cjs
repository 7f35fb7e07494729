#!/usr/bin/env node
// npm run prometheus [-- --target 127.0.0.1:3000 --listen 127.0.0.1:9090]
// Starts Debian's prometheus scraping the running app; its UI is at the listen address. Ctrl-C stops it.
const { parseArgs } = require('node:util');
const { renderConfig, startPrometheus } = require('./prometheus.cjs');

async function main() {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', default: '127.0.0.1:3000' },
      listen: { type: 'string', default: '127.0.0.1:9090' },
    },
  });
  const prometheus = await startPrometheus({ config: renderConfig({ target: values.target }), listen: values.listen });
  console.log(`Prometheus scraping http://${values.target}/metrics every 5s`);
  console.log(`UI: ${prometheus.url}/graph?g0.expr=healthz_count_total  (Ctrl-C to stop)`);
  const stop = () => prometheus.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
