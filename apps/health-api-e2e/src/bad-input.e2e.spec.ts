import { AppProcess, HTTP_PLATFORMS } from './support/app-process';
import { consoleSpans } from './support/console-documents';
import { seriesIdentities, seriesLines, sumOf } from './support/exposition';
import { sendRequests } from './support/load';
import { otlpJsonEnv } from './support/otlp-env';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { waitFor } from './support/wait-for';

const SPAN_KIND_SERVER = 2;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const EIGHT_KB = 8 * 1024;
/** No stack trace anywhere in the output: each of its lines starts with "at". */
const STACK_TRACE_LINE = /^\s+at /m;

describe.each(HTTP_PLATFORMS)('health-api on %s given bad trace context headers', (platform) => {
  const receiver = new OtlpReceiver();
  let app: AppProcess;

  beforeAll(async () => {
    const endpoint = await receiver.start();
    app = await AppProcess.start(otlpJsonEnv(endpoint, { HTTP_PLATFORM: platform, OTEL_BSP_SCHEDULE_DELAY: '100' }));
  });
  afterAll(async () => {
    await app?.stop();
    await receiver.stop();
  });

  /** Calls /healthz with `headers`, marked by a user agent of its own; resolves to its status and SERVER span. */
  async function call(
    marker: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; server: ReceivedSpan }> {
    const response = await app.get('/healthz', { ...headers, 'user-agent': marker });
    await response.arrayBuffer();
    const server = await waitFor(`the server span of ${marker}`, () =>
      receiver.spans.find(
        (span) => span.kind === SPAN_KIND_SERVER && span.attributes['user_agent.original'] === marker,
      ),
    );
    return { status: response.status, server };
  }

  it.each([
    ['malformed', 'not-a-traceparent'],
    ['oversized (8 KB behind a valid-looking start)', `00-${TRACE_ID}-${PARENT_ID}-01-${'x'.repeat(EIGHT_KB)}`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
    ['all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['the forbidden version ff', `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`],
  ])('ignores a bad traceparent (%s): 200, and a new trace rather than the bad id', async (label, traceparent) => {
    const { status, server } = await call(`traceparent ${label}`, { traceparent });
    expect(status).toBe(200);
    expect(server.parentSpanId).toBe('');
    expect(server.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(server.traceId).not.toMatch(/^0+$/);
    expect(server.traceId).not.toBe(TRACE_ID);
  });

  it('ignores an 8 KB tracestate and an 8 KB baggage without a traceparent: 200 and a new trace', async () => {
    const tracestate = `vendor=${'v'.repeat(EIGHT_KB)}`;
    const baggage = `key=${'b'.repeat(EIGHT_KB)}`;
    const first = await call('oversized tracestate', { tracestate });
    const second = await call('oversized baggage', { baggage });
    for (const { status, server } of [first, second]) {
      expect(status).toBe(200);
      expect(server.parentSpanId).toBe('');
    }
  });

  it('continues a valid traceparent and drops a malformed tracestate and baggage, recording neither', async () => {
    const { status, server } = await call('valid parent, malformed state', {
      traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`,
      tracestate: `=,,%%%,${'k'.repeat(600)}=\u00e9,vendor=1 2`,
      baggage: `%%%;;==,${'z'.repeat(5000)}`,
    });
    expect(status).toBe(200);
    expect([server.traceId, server.parentSpanId]).toEqual([TRACE_ID, PARENT_ID]);
    const recorded = JSON.stringify(receiver.spans.filter((span) => span.traceId === TRACE_ID));
    expect(recorded).not.toContain('%%%');
    expect(recorded).not.toContain('kkkk');
    expect(recorded).not.toContain('zzzz');
  });

  it('wrote no error or stack trace for any of them', () => {
    expect(app.logs).not.toMatch(STACK_TRACE_LINE);
    expect(app.logRecords.filter((record) => record['level'] === 'error')).toEqual([]);
  });
});

describe.each(HTTP_PLATFORMS)('health-api on %s given thousands of unknown URLs', (platform) => {
  const URLS = 2000;
  const receiver = new OtlpReceiver();
  let app: AppProcess;

  beforeAll(async () => {
    const endpoint = await receiver.start();
    app = await AppProcess.start(otlpJsonEnv(endpoint, { HTTP_PLATFORM: platform, OTEL_BSP_SCHEDULE_DELAY: '100' }));
  });
  afterAll(async () => {
    await app?.stop();
    await receiver.stop();
  });

  it(`answers each of ${URLS} distinct ones with a JSON 404, and /metrics keeps the same series`, async () => {
    // One unknown URL first: the 404 series appears once, whatever the number of URLs after it.
    expect((await app.get('/first/unknown')).status).toBe(404);
    const before = await (await app.get('/metrics')).text();
    const url = await app.url;
    expect(await sendRequests(URLS, (i) => `${url}/no/such/page-${i}/${'x'.repeat(i % 50)}?q=${i}`)).toEqual({
      '404': URLS,
    });
    const body = await (await app.get(`/no/such/page-${URLS}`)).json();
    expect(body).toEqual({ message: `Cannot GET /no/such/page-${URLS}`, error: 'Not Found', statusCode: 404 });
    const after = await (await app.get('/metrics')).text();

    const serverSeries = (exposition: string) =>
      seriesIdentities(exposition).filter((series) => series.startsWith('http_server_'));
    expect(serverSeries(after)).toEqual(serverSeries(before));
    expect(after).not.toContain('page-');
    // Other metrics gain a bounded number of series of their own meanwhile (a histogram per kind of GC
    // that first runs, the OTLP exporter's POSTs to the collector as http_client_*): under 100 lines.
    // Series per URL would add at least one line per URL: 2000.
    expect(seriesLines(after).length - seriesLines(before).length).toBeLessThan(100);
    expect(sumOf(after, 'http_server_request_duration_seconds_count', 'http_response_status_code="404"')).toBe(
      URLS + 2,
    );
  }, 120_000);

  it('names every one of their spans by the method alone', async () => {
    const notFound = await waitFor(`${URLS} 404 spans`, () => {
      const found = receiver.spans.filter((span) => span.attributes['http.response.status_code'] === 404);
      return found.length >= URLS + 2 ? found : undefined;
    });
    expect(new Set(notFound.map((span) => span.name))).toEqual(new Set(['GET']));
    expect(notFound.filter((span) => span.attributes['http.route'] !== undefined)).toEqual([]);
  });
});

/** Starts the app with `env`, calls /healthz, stops it; resolves to what it printed and the answers it gave. */
async function runWith(
  env: Record<string, string>,
): Promise<{ logs: string; status: number; metrics: string; code: number | null }> {
  const app = await AppProcess.start(env);
  const { status } = await app.get('/healthz');
  const metrics = await (await app.get('/metrics')).text();
  // Console spans are printed as each ends; give the last one a moment before stopping.
  if (env['OTEL_TRACES_EXPORTER'] === 'console') {
    await waitFor('the console spans', () => consoleSpans(app.stdout).find((span) => span.name === 'GET /healthz'));
  }
  const code = await app.stop();
  return { logs: app.logs, status, metrics, code };
}

/** The lines of `logs` that mention `variable`. */
function linesNaming(logs: string, variable: string): string[] {
  return logs.split('\n').filter((line) => line.includes(variable));
}

describe('health-api given bad telemetry configuration', () => {
  it.each([
    [
      'an unknown OTEL_TRACES_EXPORTER',
      { OTEL_TRACES_EXPORTER: 'jaeger,console' },
      'OTEL_TRACES_EXPORTER',
      'OTEL_TRACES_EXPORTER="jaeger,console": ignoring unknown exporter(s) jaeger; supported: otlp, console, none',
    ],
    [
      'an unknown OTEL_TRACES_SAMPLER',
      { OTEL_TRACES_EXPORTER: 'console', OTEL_TRACES_SAMPLER: 'sometimes' },
      'OTEL_TRACES_SAMPLER',
      'OTEL_TRACES_SAMPLER="sometimes" is not a supported sampler (supported: always_on, always_off, traceidratio, ' +
        'parentbased_always_on, parentbased_always_off, parentbased_traceidratio); using parentbased_always_on',
    ],
    [
      'a sampler ratio that is not a number',
      { OTEL_TRACES_EXPORTER: 'console', OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'abc' },
      'OTEL_TRACES_SAMPLER_ARG',
      'OTEL_TRACES_SAMPLER_ARG="abc" is not a sampling ratio: expected a number from 0 to 1; sampling every trace (ratio 1)',
    ],
    [
      'a sampler ratio above 1',
      {
        OTEL_TRACES_EXPORTER: 'console',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '5',
      },
      'OTEL_TRACES_SAMPLER_ARG',
      'OTEL_TRACES_SAMPLER_ARG="5" is not a sampling ratio: expected a number from 0 to 1; sampling every trace (ratio 1)',
    ],
  ])(
    'falls back for %s with one warning naming the variable and the value, and still traces',
    async (_label, env, variable, warning) => {
      const { logs, status, code } = await runWith(env);
      expect(status).toBe(200);
      expect(code).toBe(0);
      expect(linesNaming(logs, variable)).toEqual([warning]);
      // The fallback is real: every request is still traced (console spans printed).
      expect(logs).toContain('{"name":"GET /healthz"');
      expect(logs).not.toMatch(STACK_TRACE_LINE);
    },
  );

  it.each(['warn', 'info', 'debug', 'all'])(
    'writes that warning with OTEL_LOG_LEVEL=%s too, and no notice of a replaced logger',
    async (level) => {
      const { logs, status, code } = await runWith({ OTEL_TRACES_EXPORTER: 'jaeger,console', OTEL_LOG_LEVEL: level });
      expect([status, code]).toEqual([200, 0]);
      expect(linesNaming(logs, 'OTEL_TRACES_EXPORTER="')).toEqual([
        'OTEL_TRACES_EXPORTER="jaeger,console": ignoring unknown exporter(s) jaeger; supported: otlp, console, none',
      ]);
      expect(logs).not.toContain('logger will be overwritten');
    },
  );

  it('takes an OTEL_LOG_LEVEL that is not a level as warn, with one warning naming it, and still warns of the rest', async () => {
    const { logs, status, code } = await runWith({ OTEL_TRACES_EXPORTER: 'jaeger,console', OTEL_LOG_LEVEL: 'chatty' });
    expect([status, code]).toEqual([200, 0]);
    expect(linesNaming(logs, 'OTEL_LOG_LEVEL')).toEqual([
      'OTEL_LOG_LEVEL="chatty" is not a log level (none, error, warn, info, debug, verbose, all); using warn',
    ]);
    expect(linesNaming(logs, 'OTEL_TRACES_EXPORTER="')).toHaveLength(1);
    expect(logs).not.toMatch(/^@opentelemetry\/api: Registered a global/m);
  });

  it('serves /metrics on the app port for an OTEL_EXPORTER_PROMETHEUS_PORT that is not a port, with one warning', async () => {
    const { logs, status, metrics, code } = await runWith({ OTEL_EXPORTER_PROMETHEUS_PORT: 'ninety' });
    expect([status, code]).toEqual([200, 0]);
    expect(linesNaming(logs, 'OTEL_EXPORTER_PROMETHEUS_PORT')).toEqual([
      'OTEL_EXPORTER_PROMETHEUS_PORT="ninety" is not a TCP port: expected an integer from 1 to 65535; ' +
        "serving metrics on the app's own port instead",
    ]);
    expect(sumOf(metrics, 'healthz_count_total')).toBe(1);
  });

  it('keeps exporting spans for an OTEL_BSP_MAX_QUEUE_SIZE that is negative, with one warning, instead of dropping them all', async () => {
    const receiver = new OtlpReceiver();
    const endpoint = await receiver.start();
    try {
      const { logs, status, code } = await runWith({
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_MAX_QUEUE_SIZE: '-5',
      });
      expect([status, code]).toEqual([200, 0]);
      expect(linesNaming(logs, 'OTEL_BSP_MAX_QUEUE_SIZE')).toEqual([
        'OTEL_BSP_MAX_QUEUE_SIZE="-5" is not a span count: expected an integer from 1 to 2147483647; using 2048',
      ]);
      expect(receiver.spans.map((span) => span.name).sort()).toEqual(['GET /healthz', 'HealthService.check']);
    } finally {
      await receiver.stop();
    }
  });
});
