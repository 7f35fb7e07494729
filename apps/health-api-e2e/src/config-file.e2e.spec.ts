import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess } from './support/app-process';
import { exemplarSamples } from './support/exemplars';
import { OtlpReceiver } from './support/otlp-receiver';
import { waitFor } from './support/wait-for';

const SPAN_KIND_SERVER = 2;
const STACK_TRACE_LINE = /^\s+at /m;
const OPENMETRICS = 'application/openmetrics-text; version=1.0.0';
const PROTOBUF = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

/**
 * A file in the format of the SDK's declarative configuration: spans to the test's receiver in batches of
 * its own limits, a sampler that keeps a trace only when its parent is sampled (root spans never), the
 * resource's attributes, and the Prometheus exposition. `${RECEIVER}` is substituted by the SDK's parser.
 */
const CONFIG = `file_format: "1.0"
resource:
  attributes:
    - name: service.name
      value: health-api-from-file
    - name: deployment.environment.name
      value: config-file-e2e
propagator:
  composite:
    - tracecontext:
tracer_provider:
  sampler:
    parent_based:
      root:
        always_off:
  processors:
    - batch:
        schedule_delay: 100
        max_queue_size: 64
        exporter:
          otlp_http:
            endpoint: \${RECEIVER}/v1/traces
            encoding: json
meter_provider:
  readers:
    - pull:
        exporter:
          prometheus/development:
`;

describe('health-api configured by OTEL_CONFIG_FILE', () => {
  const receiver = new OtlpReceiver();
  let dir: string;
  let app: AppProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otel-config-e2e-'));
    const file = join(dir, 'otel.yaml');
    writeFileSync(file, CONFIG);
    const endpoint = await receiver.start();
    // The environment says otherwise (console spans, every trace sampled): the file wins.
    app = await AppProcess.start({
      OTEL_CONFIG_FILE: file,
      RECEIVER: endpoint,
      OTEL_TRACES_EXPORTER: 'console',
      OTEL_TRACES_SAMPLER: 'always_on',
    });
  });
  afterAll(async () => {
    await app?.stop();
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("exports spans to the file's exporter, with its resource and sampler, the query string still redacted", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const sampled = await app.get('/healthz?token=secret', {
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      'user-agent': 'sampled parent',
    });
    await sampled.arrayBuffer();
    const server = await waitFor('the server span of the sampled request', () =>
      receiver.spans.find((span) => span.kind === SPAN_KIND_SERVER && span.traceId === traceId),
    );
    expect(server.resource).toMatchObject({
      'service.name': 'health-api-from-file',
      'deployment.environment.name': 'config-file-e2e',
    });
    expect(server.attributes['url.query']).toBe('token=REDACTED');
    expect(JSON.stringify(receiver.spans)).not.toContain('secret');
  });

  it('samples no root span (parent_based, root always_off), and prints none to the console', async () => {
    await (await app.get('/healthz', { 'user-agent': 'no parent' })).arrayBuffer();
    // A sampled request after it: once its span is in, the unsampled one would have been too.
    const traceId = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    await (await app.get('/healthz', { traceparent: `00-${traceId}-00f067aa0ba902b7-01` })).arrayBuffer();
    await waitFor('the later sampled span', () => receiver.spans.find((span) => span.traceId === traceId));
    expect(receiver.spans.filter((span) => span.attributes['user_agent.original'] === 'no parent')).toEqual([]);
    expect(app.logs).not.toContain('{"name":"GET /healthz"');
  });

  it('serves /metrics through our exposition: exemplars in OpenMetrics, the protobuf format, span-loss counts', async () => {
    const openMetrics = await (await app.get('/metrics', { accept: OPENMETRICS })).text();
    expect(exemplarSamples(openMetrics, 'http_server_request_duration_seconds_bucket').length).toBeGreaterThan(0);
    // The file's batch processor is accounted for, with the file's queue size.
    expect(openMetrics).toMatch(/^otel_sdk_processor_span_queue_capacity\{[^}]*\} 64$/m);
    const protobuf = await app.get('/metrics', { accept: PROTOBUF });
    expect(protobuf.headers.get('content-type')).toContain('application/vnd.google.protobuf');
    expect(Buffer.from(await protobuf.arrayBuffer()).toString('latin1')).toContain(
      'http_server_request_duration_seconds',
    );
  });

  it('wrote no warning, error or stack trace', () => {
    expect(app.logs).not.toContain('OTEL_CONFIG_FILE');
    expect(app.logs).not.toMatch(STACK_TRACE_LINE);
    expect(app.logRecords.filter((record) => ['warn', 'error'].includes(String(record['level'])))).toEqual([]);
  });
});

describe('health-api given an OTEL_CONFIG_FILE it cannot apply', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'otel-config-e2e-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['missing', () => join(dir, 'missing.yaml'), "cannot be read (ENOENT: no such file or directory, open '{file}')"],
    [
      'not YAML',
      () => written(dir, 'broken.yaml', 'file_format: "1.0"\nresource:\n  schema_url: "unterminated\n'),
      'is not valid YAML: Missing closing "quote at line 4, column 1',
    ],
    [
      'against the schema',
      () => written(dir, 'schema.yaml', 'file_format: "1.0"\ntracer_provider:\n  processors: 5\n'),
      'does not match the configuration schema: /tracer_provider/processors must be array',
    ],
  ])('(%s) says so in one line naming the file, and still serves', async (_label, file, problem) => {
    const path = file();
    const app = await AppProcess.start({ OTEL_CONFIG_FILE: path, OTEL_TRACES_EXPORTER: 'none' });
    try {
      const health = await app.get('/healthz');
      expect(health.status).toBe(200);
      // The environment configures instead: /metrics by default.
      expect((await app.get('/metrics')).status).toBe(200);
      expect(app.logs.split('\n').filter((line) => line.includes('OTEL_CONFIG_FILE'))).toEqual([
        `OTEL_CONFIG_FILE="${path}" ${problem.replace('{file}', path)}; ` +
          'configuring OpenTelemetry from the OTEL_* environment variables instead',
      ]);
      expect(app.logs).not.toMatch(STACK_TRACE_LINE);
    } finally {
      await app.stop();
    }
  });
});

function written(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}
