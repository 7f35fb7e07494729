import { AppProcess } from './support/app-process';
import {
  completeLines,
  type ConsoleMetrics,
  type ConsoleSpan,
  consoleMetrics,
  consoleSpans,
  metricsOf,
} from './support/console-documents';
import { waitFor } from './support/wait-for';

const CONSOLE = {
  OTEL_TRACES_EXPORTER: 'console',
  OTEL_METRICS_EXPORTER: 'console',
  OTEL_METRIC_EXPORT_INTERVAL: '300',
};

const RUNTIME_SCOPE = '@opentelemetry/instrumentation-runtime-node';

/** The fields of a span document, in the order the Python getting-started prints them. */
const SPAN_FIELDS = [
  'name',
  'context',
  'kind',
  'parent_id',
  'start_time',
  'end_time',
  'status',
  'attributes',
  'events',
  'links',
  'resource',
];
const SPAN_ID = /^0x[0-9a-f]{16}$/;
const TRACE_ID = /^0x[0-9a-f]{32}$/;
// Python's format: UTC to the microsecond.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** The first metrics document in which healthz_count has reached `count`. */
function metricsWithHealthzCount(app: AppProcess, count: number): ConsoleMetrics | undefined {
  return consoleMetrics(app.stdout).find((document) =>
    metricsOf(document).some(
      (metric) => metric.name === 'healthz_count' && metric.data.data_points[0]?.['value'] === count,
    ),
  );
}

describe('health-api with both console exporters: JSON documents as the Python getting-started prints them', () => {
  let afterStop: (() => Promise<unknown>) | undefined;
  afterEach(async () => {
    await afterStop?.();
    afterStop = undefined;
  });

  it('prints the SERVER span GET /healthz and its child, and a metrics document with healthz_count and no runtime metrics', async () => {
    const app = await AppProcess.start(CONSOLE);
    // Stopped whatever happens, so that a failure leaves no app running.
    afterStop = () => app.stop();
    for (let i = 0; i < 2; i++) expect((await app.get('/healthz')).status).toBe(200);
    const [server, check] = await waitFor('both spans of /healthz on stdout', () => {
      const spans = consoleSpans(app.stdout);
      const found = [
        spans.find((span) => span.name === 'GET /healthz'),
        spans.find((span) => span.name === 'HealthService.check'),
      ];
      return found.every((span) => span !== undefined) ? (found as ConsoleSpan[]) : undefined;
    });
    const metrics = await waitFor('healthz_count = 2 on stdout', () => metricsWithHealthzCount(app, 2));
    expect(await app.stop()).toBe(0);

    // Every line of stdout is a log record or a document, each one valid JSON; no colour anywhere.
    for (const line of completeLines(app.stdout)) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(app.logs).not.toContain('\u001b[');

    expect(Object.keys(server ?? {})).toEqual(SPAN_FIELDS);
    expect(server).toMatchObject({
      name: 'GET /healthz',
      context: {
        trace_id: expect.stringMatching(TRACE_ID),
        span_id: expect.stringMatching(SPAN_ID),
        trace_state: '[]',
      },
      kind: 'SpanKind.SERVER',
      parent_id: null,
      start_time: expect.stringMatching(ISO_TIME),
      end_time: expect.stringMatching(ISO_TIME),
      status: { status_code: 'UNSET' },
      attributes: { 'http.request.method': 'GET', 'http.route': '/healthz', 'http.response.status_code': 200 },
      events: [],
      links: [],
      resource: { attributes: { 'service.name': 'health-api' }, schema_url: '' },
    });
    expect(check).toMatchObject({
      name: 'HealthService.check',
      context: { trace_id: server?.context.trace_id, span_id: expect.stringMatching(SPAN_ID) },
      kind: 'SpanKind.INTERNAL',
      parent_id: server?.context.span_id,
    });

    expect(Object.keys(metrics)).toEqual(['resource_metrics']);
    const [resource] = metrics.resource_metrics;
    expect(resource?.resource.attributes['service.name']).toBe('health-api');
    expect(Object.keys(resource ?? {})).toEqual(['resource', 'scope_metrics', 'schema_url']);
    const healthz = metricsOf(metrics).find((metric) => metric.name === 'healthz_count');
    expect(healthz).toMatchObject({
      description: 'Number of /healthz requests',
      unit: '',
      data: {
        data_points: [
          {
            attributes: {},
            start_time_unix_nano: expect.any(Number),
            time_unix_nano: expect.any(Number),
            value: 2,
          },
        ],
        aggregation_temporality: 2,
        is_monotonic: true,
      },
    });
    // No runtime metrics in any document printed.
    const everyMetric = consoleMetrics(app.stdout).flatMap(metricsOf);
    expect(everyMetric.filter((metric) => metric.scope === RUNTIME_SCOPE)).toEqual([]);
    expect(everyMetric.filter((metric) => /^(nodejs|v8js)\./.test(metric.name))).toEqual([]);
  });

  it('prints the runtime metrics too with CONSOLE_RUNTIME_METRICS=true', async () => {
    const app = await AppProcess.start({ ...CONSOLE, CONSOLE_RUNTIME_METRICS: 'true' });
    try {
      const runtime = await waitFor('a runtime metric on stdout', () =>
        consoleMetrics(app.stdout)
          .flatMap(metricsOf)
          .find((metric) => metric.scope === RUNTIME_SCOPE),
      );
      expect(runtime.name).toMatch(/^(nodejs|v8js)\./);
    } finally {
      await app.stop();
    }
  });
});

describe('health-api given an OTLP endpoint that is not a URL', () => {
  const ENDPOINTS = [
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
    'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
  ];

  it('says so in one line naming the variable and the default used, and no more', async () => {
    const app = await AppProcess.start({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not-a-url' });
    await app.stop('SIGKILL');
    expect(app.logs.split('\n').filter((line) => line.includes('not-a-url'))).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT="not-a-url" is not an endpoint URL such as http://collector:4318; ' +
        'using the default, http://localhost:4318',
    ]);
    expect(app.logs).not.toContain('falling back');
  });

  it('writes one line for each of the four variables, whatever reads it (traces, metrics, logs)', async () => {
    const app = await AppProcess.start({
      ...Object.fromEntries(ENDPOINTS.map((name) => [name, 'not-a-url'])),
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'otlp,prometheus',
      OTEL_LOGS_EXPORTER: 'otlp',
    });
    await app.stop('SIGKILL');
    const lines = app.logs.split('\n').filter((line) => line.includes('not-a-url'));
    for (const name of ENDPOINTS) expect(lines.filter((line) => line.startsWith(`${name}=`))).toHaveLength(1);
    expect(lines).toHaveLength(ENDPOINTS.length);
    expect(app.logs).not.toContain('falling back');
  });
});
