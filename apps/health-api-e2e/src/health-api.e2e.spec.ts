import { CONFIG_FILE, promtool, query, renderConfig, startPrometheus } from '../../../tools/prometheus/prometheus.cjs';
import { AppProcess, HTTP_PLATFORMS } from './support/app-process';
import { consoleMetrics, consoleSpans, metricsOf } from './support/console-documents';
import { otlpJsonEnv } from './support/otlp-env';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { waitFor } from './support/wait-for';

const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_SERVER = 2;
const HEALTHZ_CALLS = 3;

/** The value of the one sample of `metric` in a Prometheus exposition. */
function sample(exposition: string, metric: string, labels = ''): number | undefined {
  const line = exposition.split('\n').find((row) => row.startsWith(`${metric}{`) && row.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe.each(HTTP_PLATFORMS)('health-api on %s as its own process, exporting over OTLP/HTTP JSON', (platform) => {
  const receiver = new OtlpReceiver();
  let app: AppProcess;
  let metrics: string;
  let rootPoweredBy: string | null;
  /** Every /healthz call this suite makes, so that the counter can be checked at any point. */
  let healthzCalls = 0;
  const callHealthz = (headers: Record<string, string> = {}): Promise<Response> => {
    healthzCalls += 1;
    return app.get('/healthz', headers);
  };

  beforeAll(async () => {
    const endpoint = await receiver.start();
    app = await AppProcess.start({
      HTTP_PLATFORM: platform,
      OTEL_SERVICE_NAME: 'health-api-e2e',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=e2e',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BLRP_SCHEDULE_DELAY: '100',
      LOG_LEVEL: 'debug',
    });
    const root = await app.get('/');
    rootPoweredBy = root.headers.get('x-powered-by');
    expect(root.status).toBe(200);
    expect(await root.json()).toEqual({ message: 'health-api root/' });
    for (let call = 0; call < HEALTHZ_CALLS; call++) {
      const response = await callHealthz();
      expect(response.status).toBe(200);
      expect(((await response.json()) as { message: string }).message).toMatch(
        /^up and running since \d+:\d{2}:\d{2}(\.\d{6})?$/,
      );
    }
    metrics = await (await app.get('/metrics')).text();
  });

  afterAll(async () => {
    await app?.stop();
    await receiver.stop();
  });

  it('runs on the platform HTTP_PLATFORM names: express says so in X-Powered-By, Fastify sends none', () => {
    expect(rootPoweredBy).toBe(platform === 'express' ? 'Express' : null);
  });

  describe('GET /metrics', () => {
    it('shows healthz_count_total equal to the /healthz calls made, with its HELP text', () => {
      expect(metrics).toContain(
        '# HELP healthz_count_total Number of /healthz requests\n# TYPE healthz_count_total counter',
      );
      expect(sample(metrics, 'healthz_count_total')).toBe(HEALTHZ_CALLS);
    });

    it('has the HTTP server duration histogram labelled by route', () => {
      const healthz = 'http_route="/healthz"';
      expect(sample(metrics, 'http_server_request_duration_seconds_count', healthz)).toBe(HEALTHZ_CALLS);
      expect(sample(metrics, 'http_server_request_duration_seconds_count', 'http_route="/"')).toBe(1);
      expect(metrics).toMatch(
        /http_server_request_duration_seconds_count\{[^}]*http_request_method="GET"[^}]*http_route="\/healthz"[^}]*http_response_status_code="200"/,
      );
    });

    it('times the @Timed() HealthService.check in seconds', () => {
      expect(metrics).toContain('# TYPE method_duration_seconds histogram');
      expect(sample(metrics, 'method_duration_seconds_count', 'code_function_name="HealthService.check"')).toBe(
        HEALTHZ_CALLS,
      );
    });

    it('is a clean exposition for promtool check metrics, runtime and method metrics included', () => {
      expect(metrics).toContain('nodejs_eventloop_utilization_ratio');
      expect(promtool(['check', 'metrics'], metrics)).toEqual({ status: 0, output: '' });
    });

    it('is not itself traced', async () => {
      await waitFor('the /healthz spans', () => (receiver.spans.length >= 7 ? true : undefined));
      expect(receiver.spans.filter((span) => span.name.includes('metrics'))).toEqual([]);
    });
  });

  describe('traces', () => {
    let servers: ReceivedSpan[];

    beforeAll(async () => {
      servers = await waitFor('three GET /healthz server spans', () => {
        const found = receiver.spans.filter((span) => span.name === 'GET /healthz');
        return found.length >= HEALTHZ_CALLS ? found : undefined;
      });
    });

    it('has one SERVER span per /healthz request with the stable HTTP semantic conventions', () => {
      expect(servers).toHaveLength(HEALTHZ_CALLS);
      for (const span of servers) {
        expect(span.kind).toBe(SPAN_KIND_SERVER);
        expect(span.parentSpanId).toBe('');
        expect(span.attributes).toMatchObject({
          'http.request.method': 'GET',
          'http.route': '/healthz',
          'http.response.status_code': 200,
          'url.path': '/healthz',
          'url.scheme': 'http',
        });
      }
    });

    it('has the @Span child HealthService.check under each server span', () => {
      for (const server of servers) {
        const children = receiver.spans.filter((span) => span.parentSpanId === server.spanId);
        expect(children.map((span) => [span.name, span.kind, span.traceId])).toEqual([
          ['HealthService.check', SPAN_KIND_INTERNAL, server.traceId],
        ]);
      }
    });

    it('carries the service and resource attributes from OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES', () => {
      expect(servers[0].resource).toMatchObject({
        'service.name': 'health-api-e2e',
        'deployment.environment.name': 'e2e',
        'telemetry.sdk.language': 'nodejs',
      });
      expect(Object.keys(servers[0].resource)).not.toContain('process.command_line');
    });

    it('names the GET / span by its route', () => {
      expect(receiver.spans.filter((span) => span.name === 'GET /')).toHaveLength(1);
    });
  });

  describe('logs tied to traces', () => {
    it('writes one debug JSON line per /healthz call carrying the ids of its @Span child', async () => {
      const checks = await waitFor('the HealthService.check spans', () => {
        const found = receiver.spans.filter((span) => span.name === 'HealthService.check');
        return found.length >= HEALTHZ_CALLS ? found : undefined;
      });
      const lines = app.logRecords.filter((record) => String(record['message']).startsWith('healthz checked'));
      expect(lines).toHaveLength(HEALTHZ_CALLS);
      expect(lines.map((line) => [line['level'], line['context'], line['trace_id'], line['span_id']]).sort()).toEqual(
        checks.map((span) => ['debug', 'HealthService', span.traceId, span.spanId]).sort(),
      );
    });

    it('exports the same records over OTLP, tied to the same spans', async () => {
      const checks = receiver.spans.filter((span) => span.name === 'HealthService.check');
      const records = await waitFor('the healthz log records over OTLP', () => {
        const found = receiver.logRecords.filter((record) => String(record.body).startsWith('healthz checked'));
        return found.length >= HEALTHZ_CALLS ? found : undefined;
      });
      expect(records.map((record) => [record.severityText, record.traceId, record.spanId]).sort()).toEqual(
        checks.map((span) => ['DEBUG', span.traceId, span.spanId]).sort(),
      );
      expect(records[0].resource['service.name']).toBe('health-api-e2e');
    });
  });

  describe('one request, three signals', () => {
    it('ties a /healthz call’s span, its metric (an OpenMetrics exemplar) and its log line to one trace id', async () => {
      const seen = new Set(receiver.spans.map((span) => span.traceId));
      expect((await callHealthz()).status).toBe(200);
      const server = await waitFor('the new /healthz server span', () =>
        receiver.spans.find((span) => span.name === 'GET /healthz' && !seen.has(span.traceId)),
      );
      const check = await waitFor('its HealthService.check span', () =>
        receiver.spans.find((span) => span.name === 'HealthService.check' && span.traceId === server.traceId),
      );

      const response = await app.get('/metrics', { accept: 'application/openmetrics-text; version=1.0.0' });
      expect(response.headers.get('content-type')).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
      const exposition = await response.text();
      const sampleLine = exposition.split('\n').find((line) => line.startsWith('healthz_count_total{'));
      expect(sampleLine).toMatch(
        new RegExp(
          `^healthz_count_total\\{[^}]*\\} ${healthzCalls} # \\{trace_id="${server.traceId}",span_id="${check.spanId}"\\} 1 \\d+\\.\\d{3}$`,
        ),
      );
      expect(exposition.endsWith('# EOF\n')).toBe(true);

      const line = await waitFor('its log line', () =>
        app.logRecords.find(
          (record) => record['trace_id'] === server.traceId && String(record['message']).startsWith('healthz checked'),
        ),
      );
      expect(line['span_id']).toBe(check.spanId);
    });
  });

  describe('trace context from the caller', () => {
    it('continues the W3C trace of an incoming traceparent', async () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const parentId = '00f067aa0ba902b7';
      const response = await callHealthz({ traceparent: `00-${traceId}-${parentId}-01`, tracestate: 'vendor=1' });
      expect(response.status).toBe(200);
      const server = await waitFor('the continued server span', () =>
        receiver.spans.find((span) => span.traceId === traceId && span.kind === SPAN_KIND_SERVER),
      );
      expect(server.parentSpanId).toBe(parentId);
      expect(
        receiver.spans.find((span) => span.traceId === traceId && span.name === 'HealthService.check')?.parentSpanId,
      ).toBe(server.spanId);
    });
  });

  describe('runtime metrics', () => {
    it('are on /metrics with Prometheus names', async () => {
      const text = await (await app.get('/metrics')).text();
      for (const name of [
        'nodejs_eventloop_delay_p99_seconds',
        'nodejs_eventloop_utilization_ratio',
        'v8js_memory_heap_used_bytes',
      ]) {
        expect(text).toContain(`# TYPE ${name} gauge`);
      }
    });
  });

  describe('unknown URLs', () => {
    it('answer a JSON 404 and add no span name or series per URL', async () => {
      const seriesBefore = (await (await app.get('/metrics')).text()).split('\n').length;
      for (let i = 0; i < 25; i++) {
        const response = await app.get(`/no/such/page-${i}?q=${i}`);
        expect(response.status).toBe(404);
        expect(await response.json()).toMatchObject({ statusCode: 404 });
      }
      const after = await (await app.get('/metrics')).text();
      expect(after).not.toContain('page-');
      // The 404 series appears once (for the first of them), whatever the number of distinct URLs.
      expect(after.split('\n').length - seriesBefore).toBeLessThanOrEqual(20);
      expect(sample(after, 'http_server_request_duration_seconds_count', 'http_response_status_code="404"')).toBe(25);
      const notFound = await waitFor('25 404 spans', () => {
        const found = receiver.spans.filter((span) => span.attributes['http.response.status_code'] === 404);
        return found.length >= 25 ? found : undefined;
      });
      expect(new Set(notFound.map((span) => span.name))).toEqual(new Set(['GET']));
    });
  });

  describe('a real Prometheus scraping the app every second', () => {
    let prometheus: Awaited<ReturnType<typeof startPrometheus>>;

    beforeAll(async () => {
      const config = renderConfig({ target: await app.target(), scrapeInterval: '1s' });
      prometheus = await startPrometheus({ config });
    });
    afterAll(() => prometheus?.stop());

    it('answers a PromQL query for healthz_count_total with the calls made', async () => {
      const value = await waitFor('healthz_count_total in Prometheus', async () => {
        const [result] = await query(prometheus.url, 'healthz_count_total{job="health-api"}');
        return result ? Number(result.value[1]) : undefined;
      });
      expect(value).toBe(healthzCalls);
      const [up] = await query(prometheus.url, 'up{job="health-api"}');
      expect(up.value[1]).toBe('1');
    });

    it('ships a scrape config that promtool accepts', () => {
      expect(promtool(['check', 'config', CONFIG_FILE]).status).toBe(0);
    });
  });
});

describe.each(HTTP_PLATFORMS)('health-api shutdown on %s', (platform) => {
  it('on SIGTERM exports the spans still waiting in a long batch and exits 0', async () => {
    const receiver = new OtlpReceiver();
    const endpoint = await receiver.start();
    try {
      const app = await AppProcess.start({
        HTTP_PLATFORM: platform,
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '600000',
      });
      expect((await app.get('/healthz')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.spans).toEqual([]);
      expect(await app.stop('SIGTERM')).toBe(0);
      expect(receiver.spans.map((span) => span.name).sort()).toEqual(['GET /healthz', 'HealthService.check']);
      expect(app.logRecords.map((record) => record['message'])).toContain(
        'SIGTERM received: finishing in-flight requests and flushing telemetry',
      );
    } finally {
      await receiver.stop();
    }
  });

  it('exits 0 on SIGINT too', async () => {
    const app = await AppProcess.start({ HTTP_PLATFORM: platform });
    expect((await app.get('/')).status).toBe(200);
    expect(await app.stop('SIGINT')).toBe(0);
  });
});

describe('health-api exporters chosen by the environment', () => {
  it('prints spans to the console with OTEL_TRACES_EXPORTER=console, like the Python getting-started', async () => {
    const app = await AppProcess.start({ OTEL_TRACES_EXPORTER: 'console' });
    await app.get('/healthz');
    const server = await waitFor('console spans', () =>
      consoleSpans(app.stdout).find((span) => span.name === 'GET /healthz'),
    );
    expect(consoleSpans(app.stdout).map((span) => span.name)).toContain('HealthService.check');
    expect(server.attributes['http.route']).toBe('/healthz');
    expect(await app.stop()).toBe(0);
  });

  it('prints healthz_count with OTEL_METRICS_EXPORTER=console, beside the console spans, as the seed does', async () => {
    const app = await AppProcess.start({
      OTEL_TRACES_EXPORTER: 'console',
      OTEL_METRICS_EXPORTER: 'console',
      OTEL_METRIC_EXPORT_INTERVAL: '300',
    });
    for (let i = 0; i < 2; i++) expect((await app.get('/healthz')).status).toBe(200);
    await waitFor('healthz_count printed with its value', () =>
      consoleMetrics(app.stdout)
        .flatMap(metricsOf)
        .find((metric) => metric.name === 'healthz_count' && metric.data.data_points[0]?.['value'] === 2),
    );
    expect(consoleSpans(app.stdout).map((span) => span.name)).toContain('GET /healthz');
    expect((await app.get('/metrics')).status).toBe(404);
    expect(await app.stop()).toBe(0);
  });

  it('pushes metrics over OTLP with OTEL_METRICS_EXPORTER=otlp: healthz_count is the calls made', async () => {
    const receiver = new OtlpReceiver();
    const endpoint = await receiver.start();
    try {
      const app = await AppProcess.start(
        otlpJsonEnv(endpoint, { OTEL_METRICS_EXPORTER: 'otlp,prometheus', OTEL_METRIC_EXPORT_INTERVAL: '300' }),
      );
      const CALLS = 4;
      for (let i = 0; i < CALLS; i++) expect((await app.get('/healthz')).status).toBe(200);
      const latest = await waitFor(`healthz_count = ${CALLS} over OTLP`, () =>
        receiver.metricPoints.filter((point) => point.name === 'healthz_count').find((point) => point.value === CALLS),
      );
      expect(latest.resource['service.name']).toBe('health-api');
      // Still served to Prometheus as well, from the same measurements.
      expect(sample(await (await app.get('/metrics')).text(), 'healthz_count_total')).toBe(CALLS);
      expect(await app.stop()).toBe(0);
      expect(app.logs).not.toMatch(/error|warn/i);
    } finally {
      await receiver.stop();
    }
  });

  it.each(HTTP_PLATFORMS)(
    'prints no export error and no warning on %s with nothing configured and no collector running',
    async (platform) => {
      const app = await AppProcess.start({ HTTP_PLATFORM: platform });
      for (let i = 0; i < 5; i++) expect((await app.get('/healthz')).status).toBe(200);
      expect(await app.stop()).toBe(0);
      expect(app.logs).not.toMatch(/error|warn|ECONNREFUSED/i);
    },
  );

  it('still serves every route with OTEL_SDK_DISABLED=true', async () => {
    const app = await AppProcess.start({ OTEL_SDK_DISABLED: 'true' });
    expect((await app.get('/healthz')).status).toBe(200);
    expect(await (await app.get('/metrics')).text()).toContain('OTEL_SDK_DISABLED=true');
    expect(await app.stop()).toBe(0);
  });
});

describe('health-api start-up failures', () => {
  it('exits 1 naming PORT and its value when PORT is not a port', async () => {
    const { code, logs, messages } = await AppProcess.runToExit({ PORT: 'eighty' });
    expect(code).toBe(1);
    expect(messages).toContain('Cannot start: PORT="eighty" is not a TCP port: expected an integer from 0 to 65535');
    expect(logs).not.toMatch(/^\s+at /m);
  });

  it('exits 1 naming HTTP_PLATFORM and its value when it is not a platform', async () => {
    const { code, logs, messages } = await AppProcess.runToExit({ HTTP_PLATFORM: 'koa' });
    expect(code).toBe(1);
    expect(messages).toEqual([
      'Cannot start: HTTP_PLATFORM="koa" is not an HTTP platform: expected express or fastify',
    ]);
    expect(logs).not.toMatch(/^\s+at /m);
  });

  it.each(HTTP_PLATFORMS)('exits 1 naming the port when it is already in use, on %s', async (platform) => {
    const first = await AppProcess.start();
    try {
      const port = new URL(await first.url).port;
      const { code, logs, messages } = await AppProcess.runToExit({ HTTP_PLATFORM: platform, PORT: port });
      expect(code).toBe(1);
      expect(messages).toContain(`Cannot start: Port ${port} on 127.0.0.1 is already in use`);
      // One line says so: Nest's own listen error is not printed as well.
      expect(logs.split('\n').filter((line) => /EADDRINUSE|already in use/.test(line))).toHaveLength(1);
    } finally {
      await first.stop();
    }
  });
});
