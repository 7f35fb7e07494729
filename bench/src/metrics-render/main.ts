// Micro-benchmark: the cost of rendering /metrics with many series through the library's exposition, in
// each format it serves, beside @opentelemetry/exporter-prometheus's serializer on the same collection.
// Prints one JSON line: MetricsRenderResult.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
// The library's exposition, bundled from its source (an internal, not a public entry point: its
// serializers are timed on their own, on the same collection as the exporter's).
import {
  PrometheusExposition,
  serializeExposition,
} from '../../../libs/telemetry/src/metrics/prometheus/prometheus-exposition';
import { median } from '../shared/statistics';
import { createCounterWithSeries } from './counter-with-series';
import type { FormatRenderResult, MetricsRenderResult, MetricsRenderSettings } from './metrics-render-result';

interface Serializer {
  id: FormatRenderResult['id'];
  label: string;
  serialize: (resourceMetrics: ResourceMetrics) => string | Uint8Array;
}

const exporterSerializer = new PrometheusSerializer();
const SERIALIZERS: Serializer[] = [
  {
    id: 'exporter-prometheus',
    label: '`@opentelemetry/exporter-prometheus` `PrometheusSerializer`, text 0.0.4',
    serialize: (resourceMetrics) => exporterSerializer.serialize(resourceMetrics),
  },
  {
    id: 'text',
    label: 'library, text 0.0.4',
    serialize: (resourceMetrics) => serializeExposition(resourceMetrics, 'text'),
  },
  {
    id: 'openmetrics',
    label: 'library, OpenMetrics 1.0.0 (exemplar lookups included)',
    serialize: (resourceMetrics) => serializeExposition(resourceMetrics, 'openmetrics'),
  },
  {
    id: 'protobuf',
    label: 'library, protobuf (delimited `MetricFamily`)',
    serialize: (resourceMetrics) => serializeExposition(resourceMetrics, 'protobuf'),
  },
];

/** `/metrics` on a loopback port, answered as the library's own server answers a scrape (text by default). */
async function startScrapeServer(exposition: PrometheusExposition): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    void exposition.scrape(request.headers.accept, undefined).then(({ status, contentType, body }) => {
      response.writeHead(status, { 'content-type': contentType }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, server };
}

function elapsedMs(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function byteLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}

/** Median milliseconds of `repetitions` runs of `work`, after one that warms the JIT up; and its last result. */
function time<T>(repetitions: number, work: () => T): { ms: number; result: T } {
  let result = work();
  const runs: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const started = process.hrtime.bigint();
    result = work();
    runs.push(elapsedMs(started));
  }
  return { ms: median(runs), result };
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2] ?? '{}') as MetricsRenderSettings;
  const exposition = new PrometheusExposition();
  const provider = createCounterWithSeries(exposition.reader, settings.series);
  const collect: number[] = [];
  let resourceMetrics: ResourceMetrics | undefined;
  for (let i = 0; i <= settings.repetitions; i++) {
    const started = process.hrtime.bigint();
    resourceMetrics = (await exposition.reader.collect()).resourceMetrics;
    if (i > 0) collect.push(elapsedMs(started));
  }
  const collected = resourceMetrics as ResourceMetrics;
  // Each serializer in a loop of its own, on the same collection: the garbage of one is not collected in another's time.
  const formats = SERIALIZERS.map((serializer): FormatRenderResult => {
    const { ms, result } = time(settings.repetitions, () => serializer.serialize(collected));
    return { id: serializer.id, label: serializer.label, serializeMs: ms, bodyBytes: byteLength(result) };
  });
  const { url, server } = await startScrapeServer(exposition);
  const scrape: number[] = [];
  let scraped = '';
  for (let i = 0; i <= settings.repetitions; i++) {
    const started = process.hrtime.bigint();
    scraped = await (await fetch(url)).text();
    if (i > 0) scrape.push(elapsedMs(started));
  }
  server.closeAllConnections();
  server.close();
  await provider.shutdown();
  const text = formats.find((format) => format.id === 'text');
  const result: MetricsRenderResult = {
    series: settings.series,
    repetitions: settings.repetitions,
    collectMs: median(collect),
    serializeMs: text?.serializeMs ?? Number.NaN,
    scrapeMs: median(scrape),
    bodyBytes: Buffer.byteLength(scraped),
    bodyLines: scraped.split('\n').filter((line) => line && !line.startsWith('#')).length,
    formats,
  };
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
