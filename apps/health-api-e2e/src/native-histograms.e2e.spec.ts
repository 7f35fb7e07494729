import { query, queryExemplars, renderConfig, startPrometheus } from '../../../tools/prometheus/prometheus.cjs';
import { AppProcess } from './support/app-process';
import { consoleMetrics, metricsOf } from './support/console-documents';
import { sendRequests } from './support/load';
import { otlpJsonEnv } from './support/otlp-env';
import { OtlpReceiver } from './support/otlp-receiver';
import { waitFor } from './support/wait-for';

const SLOW_MS = 400;
const REQUESTS = 50;
/** One request in ten is slow: the 99th percentile is a slow one, the median a fast one. */
const SLOW_REQUESTS = 5;
const BOUND_MS = 40_000;
const HEALTHZ = 'http_server_request_duration_seconds{job="health-api",http_route="/healthz"}';

/** The value of the one sample of `promql`, or `undefined` while there is none. */
async function single(url: string, promql: string): Promise<number | undefined> {
  const result = await query(url, promql);
  if (result.length > 1) throw new Error(`${promql}: ${result.length} series`);
  return result[0] && Number(result[0].value[1]);
}

// One story, in order: a Prometheus with native histograms on (it then scrapes the protobuf format) scrapes
// the built app every second; a first request makes the series exist, then REQUESTS requests, a known
// share of them slow, are answered; Prometheus' native-histogram functions see exactly them.
describe('native histograms: http.server.request.duration as Prometheus scrapes it with native histograms on', () => {
  let app: AppProcess;
  let prometheus: Awaited<ReturnType<typeof startPrometheus>>;
  let url: string;

  beforeAll(async () => {
    app = await AppProcess.start({ HEALTHZ_TEST_DELAY_MS: String(SLOW_MS) });
    prometheus = await startPrometheus({
      config: renderConfig({ target: await app.target(), scrapeInterval: '1s' }),
      nativeHistograms: true,
    });
    url = prometheus.url;
    // Before the measured requests, so that rate() over the window sees all of them as an increase.
    expect((await app.get('/healthz')).status).toBe(200);
    await waitFor('the first request in Prometheus', () => single(url, `histogram_count(${HEALTHZ})`), BOUND_MS);
    const appUrl = await app.url;
    const [fast, slow] = await Promise.all([
      sendRequests(REQUESTS - SLOW_REQUESTS, () => `${appUrl}/healthz`, { concurrency: 4 }),
      sendRequests(SLOW_REQUESTS, () => `${appUrl}/healthz`, {
        concurrency: SLOW_REQUESTS,
        headers: { 'x-test-delay': '1' },
      }),
    ]);
    expect([fast, slow]).toEqual([{ '200': REQUESTS - SLOW_REQUESTS }, { '200': SLOW_REQUESTS }]);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await app?.stop();
  });

  it('stores the histogram as one native series, counting every request made', async () => {
    const count = await waitFor(
      'every request in the native histogram',
      async () => {
        const value = await single(url, `histogram_count(${HEALTHZ})`);
        return value === REQUESTS + 1 ? value : undefined;
      },
      BOUND_MS,
    );
    expect(count).toBe(REQUESTS + 1);
    // Native, not classic: Prometheus 2.42 keeps no _bucket series for a histogram it stores natively.
    expect(await query(url, 'http_server_request_duration_seconds_bucket{http_route="/healthz"}')).toEqual([]);
    // The fast share, exactly: no request took between 0.2 s and the slow delay.
    expect(await single(url, `histogram_fraction(0, 0.2, ${HEALTHZ})`)).toBeCloseTo(
      (REQUESTS + 1 - SLOW_REQUESTS) / (REQUESTS + 1),
      6,
    );
  });

  it('puts the 99th percentile over the last minute among the slow requests, the median among the fast', async () => {
    const p99 = await waitFor(
      'a p99 over every measured request',
      async () => {
        const rate = await single(url, `histogram_count(rate(${HEALTHZ}[1m]))`);
        const total = await single(url, `histogram_count(${HEALTHZ})`);
        // Every measured request is in the window once the raw count has them all.
        if (rate === undefined || total !== REQUESTS + 1) return undefined;
        return single(url, `histogram_quantile(0.99, rate(${HEALTHZ}[1m]))`);
      },
      BOUND_MS,
    );
    // Native buckets are narrow (a few percent at the scales the SDK reaches here): close to the delay.
    expect(p99).toBeGreaterThanOrEqual((SLOW_MS / 1000) * 0.9);
    expect(p99).toBeLessThan((SLOW_MS / 1000) * 2);
    const median = await single(url, `histogram_quantile(0.5, rate(${HEALTHZ}[1m]))`);
    expect(median).toBeLessThan(0.2);
  });

  it('keeps exemplars on the native series: a trace id per scrape (2.42 keeps the first bucket’s only)', async () => {
    const now = Math.ceil(Date.now() / 1000);
    const series = await waitFor(
      'an exemplar of the native series',
      async () => {
        const found = await queryExemplars(url, HEALTHZ, now - 300, now + 60);
        return found.some((one) => one.exemplars.length > 0) ? found : undefined;
      },
      BOUND_MS,
    );
    const traceIds = series.flatMap((one) => one.exemplars.map((exemplar) => exemplar.labels['trace_id']));
    expect(traceIds.every((traceId) => /^[0-9a-f]{32}$/.test(traceId ?? ''))).toBe(true);
  });

  it('feeds the recording rules: request rate and p99 per route from the native series', async () => {
    const p99 = await waitFor(
      'the p99 recording rule',
      () =>
        single(url, 'job_route:http_server_request_duration_seconds:p99_5m{job="health-api",http_route="/healthz"}'),
      BOUND_MS,
    );
    expect(p99).toBeGreaterThanOrEqual((SLOW_MS / 1000) * 0.9);
    expect(
      await single(url, 'job_route:http_server_requests:rate5m{job="health-api",http_route="/healthz"}'),
    ).toBeGreaterThan(0);
  });
});

describe('native histograms stay Prometheus’: push exporters get the classic histogram only', () => {
  const receiver = new OtlpReceiver();
  afterAll(() => receiver.stop());

  it('sends http.server.request.duration over OTLP and to the console, never its exponential twin', async () => {
    const endpoint = await receiver.start();
    const app = await AppProcess.start(
      otlpJsonEnv(endpoint, { OTEL_METRICS_EXPORTER: 'otlp,console,prometheus', OTEL_METRIC_EXPORT_INTERVAL: '300' }),
    );
    try {
      expect((await app.get('/healthz')).status).toBe(200);
      await waitFor('the HTTP duration over OTLP', () =>
        receiver.metricNames.has('http.server.request.duration') ? true : undefined,
      );
      await waitFor('the HTTP duration on the console', () =>
        consoleMetrics(app.stdout)
          .flatMap(metricsOf)
          .find((metric) => metric.name === 'http.server.request.duration'),
      );
      expect([...receiver.metricNames].filter((name) => name.endsWith('.native'))).toEqual([]);
      expect(app.logs).not.toContain('.native');
    } finally {
      await app.stop();
    }
  });
});
