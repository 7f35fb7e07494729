import { queryExemplars, renderConfig, startPrometheus } from '../../../tools/prometheus/prometheus.cjs';
import { AppProcess, HTTP_PLATFORMS } from './support/app-process';
import { exemplarSamples, randomTraceId } from './support/exemplars';
import { sendRequests } from './support/load';
import { waitFor } from './support/wait-for';

const OPENMETRICS = 'application/openmetrics-text; version=1.0.0';
const SLOW_MS = 600;
const FAST_REQUESTS = 20;
const BOUND_MS = 30_000;

// One story, in order: fast /healthz calls, then one slow call in a known sampled trace; the exemplars of
// the HTTP duration histogram and of healthz_count point at it, on /metrics and in a real Prometheus.
describe.each(HTTP_PLATFORMS)('exemplars on %s: from a slow request’s metric to its trace', (platform) => {
  const traceId = randomTraceId();
  let app: AppProcess;
  let exposition: string;
  const since = Math.floor(Date.now() / 1000) - 60;

  beforeAll(async () => {
    app = await AppProcess.start({ HTTP_PLATFORM: platform, HEALTHZ_TEST_DELAY_MS: String(SLOW_MS) });
    const url = await app.url;
    expect(await sendRequests(FAST_REQUESTS, () => `${url}/healthz`, { concurrency: 4 })).toEqual({
      '200': FAST_REQUESTS,
    });
    const slow = await app.get('/healthz', { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-test-delay': '1' });
    expect(slow.status).toBe(200);
    // The duration is recorded when the response closes, just after the client has it.
    exposition = await waitFor('the slow request in the histogram', async () => {
      const text = await (await app.get('/metrics', { accept: OPENMETRICS })).text();
      return text.includes(traceId) ? text : undefined;
    });
  });

  afterAll(() => app?.stop());

  it('puts the slow request’s trace id on a high bucket of http_server_request_duration_seconds', () => {
    const healthzBuckets = exemplarSamples(exposition, 'http_server_request_duration_seconds_bucket').filter(
      (sample) => sample.labels['http_route'] === '/healthz',
    );
    const slow = healthzBuckets.filter((sample) => sample.traceId === traceId);
    expect(slow).toEqual([expect.objectContaining({ traceId })]);
    const { value, labels } = slow[0] ?? { value: 0, labels: {} };
    // The exemplar's value is the slow request's duration, on a bucket that holds it, past every fast request.
    expect(value).toBeGreaterThanOrEqual(SLOW_MS / 1000);
    expect(labels['le'] === '+Inf' ? Infinity : Number(labels['le'])).toBeGreaterThanOrEqual(value);
    // The fast requests' exemplars sit on low buckets, under other (sampled, random) trace ids.
    const fast = healthzBuckets.filter((sample) => sample.traceId !== traceId);
    expect(fast.length).toBeGreaterThan(0);
    expect(Math.max(...fast.map((sample) => sample.value))).toBeLessThan(SLOW_MS / 1000);
  });

  it('puts the same trace id on healthz_count_total: its latest call', () => {
    expect(exemplarSamples(exposition, 'healthz_count_total')).toEqual([
      expect.objectContaining({
        traceId,
        value: 1,
        labels: expect.objectContaining({ otel_scope_name: 'health-api' }),
      }),
    ]);
  });

  it('leaves exemplars out of the Prometheus text format', async () => {
    const text = await (await app.get('/metrics', { accept: 'text/plain; version=0.0.4' })).text();
    expect(text).toContain('http_server_request_duration_seconds_bucket{');
    expect(text).not.toContain('trace_id');
  });

  it('has a real Prometheus (exemplar storage on) return that trace id from /api/v1/query_exemplars', async () => {
    const prometheus = await startPrometheus({
      config: renderConfig({ target: await app.target(), scrapeInterval: '1s' }),
    });
    try {
      const traceIdsOf = async (promql: string): Promise<string[] | undefined> => {
        const series = await queryExemplars(prometheus.url, promql, since, Math.ceil(Date.now() / 1000) + 60);
        const ids = series.flatMap((one) => one.exemplars.map((exemplar) => exemplar.labels['trace_id'] ?? ''));
        return ids.includes(traceId) ? ids : undefined;
      };
      await waitFor(
        'the slow trace among the exemplars of the duration histogram',
        () => traceIdsOf('http_server_request_duration_seconds_bucket{http_route="/healthz"}'),
        BOUND_MS,
      );
      expect(await traceIdsOf('healthz_count_total')).toEqual([traceId]);
    } finally {
      await prometheus.stop();
    }
  });
});
