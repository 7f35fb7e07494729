// Micro-benchmark: the cost of rendering /metrics with many series through @opentelemetry/exporter-prometheus
// (the exporter the library serves /metrics with). Prints one JSON line: MetricsRenderResult.
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { median } from '../shared/statistics';
import { createCounterWithSeries } from './counter-with-series';
import type { MetricsRenderResult, MetricsRenderSettings } from './metrics-render-result';
import { startScrapeServer } from './scrape-server';

function elapsedMs(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2] ?? '{}') as MetricsRenderSettings;
  const exporter = createCounterWithSeries(settings.series);
  const serializer = new PrometheusSerializer();
  const { url, server } = await startScrapeServer(exporter);
  const collect: number[] = [];
  const serialize: number[] = [];
  const scrape: number[] = [];
  let body = '';
  for (let i = 0; i <= settings.repetitions; i++) {
    let started = process.hrtime.bigint();
    const { resourceMetrics } = await exporter.collect();
    const collectMs = elapsedMs(started);
    started = process.hrtime.bigint();
    serializer.serialize(resourceMetrics);
    const serializeMs = elapsedMs(started);
    started = process.hrtime.bigint();
    body = await (await fetch(url)).text();
    const scrapeMs = elapsedMs(started);
    if (i === 0) continue; // the first round warms the JIT up
    collect.push(collectMs);
    serialize.push(serializeMs);
    scrape.push(scrapeMs);
  }
  server.closeAllConnections();
  server.close();
  const result: MetricsRenderResult = {
    series: settings.series,
    repetitions: settings.repetitions,
    collectMs: median(collect),
    serializeMs: median(serialize),
    scrapeMs: median(scrape),
    bodyBytes: Buffer.byteLength(body),
    bodyLines: body.split('\n').filter((line) => line && !line.startsWith('#')).length,
  };
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
