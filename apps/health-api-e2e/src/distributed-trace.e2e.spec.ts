import { query, renderConfig, startPrometheus } from '../../../tools/prometheus/prometheus.cjs';
import { AppProcess, HTTP_PLATFORMS } from './support/app-process';
import { HttpStub } from './support/http-stub';
import { otlpJsonEnv } from './support/otlp-env';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { waitFor } from './support/wait-for';

const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;
const STATUS_ERROR = 2;

function otlpEnv(endpoint: string): Record<string, string> {
  return otlpJsonEnv(endpoint, { OTEL_BSP_SCHEDULE_DELAY: '100' });
}

// The gateway stays on express: on fastify, health-api makes one trace with it across both platforms.
describe.each(HTTP_PLATFORMS)('gateway-api (express) → health-api (%s): one trace across two services', (platform) => {
  const receiver = new OtlpReceiver();
  let health: AppProcess;
  let gateway: AppProcess;
  /** The trace of the one /healthz call made through the gateway: its metric's exemplar must point at it. */
  let healthzTraceId = '';

  beforeAll(async () => {
    const endpoint = await receiver.start();
    health = await AppProcess.start({ ...otlpEnv(endpoint), HTTP_PLATFORM: platform }, 'health-api');
    gateway = await AppProcess.start({ ...otlpEnv(endpoint), HEALTH_API_URL: await health.url }, 'gateway-api');
  });
  afterAll(async () => {
    await gateway?.stop();
    await health?.stop();
    await receiver.stop();
  });

  it('answers with health-api’s /healthz and makes one trace of gateway and health-api spans', async () => {
    const response = await gateway.get('/upstream/healthz');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { upstream: string; answer: { message: string } };
    expect(body.upstream).toBe('health-api');
    expect(body.answer.message).toMatch(/^up and running since /);

    const gatewayServer = await waitFor('the gateway server span', () =>
      receiver.spans.find((span) => span.name === 'GET /upstream/healthz'),
    );
    healthzTraceId = gatewayServer.traceId;
    const trace = await waitFor('the whole trace', () => {
      const spans = receiver.spans.filter((span) => span.traceId === gatewayServer.traceId);
      return spans.length >= 5 ? spans : undefined;
    });
    const child = (parent: ReceivedSpan, name?: string): ReceivedSpan | undefined =>
      trace.find((span) => span.parentSpanId === parent.spanId && (name === undefined || span.name === name));

    expect(gatewayServer).toMatchObject({ kind: SPAN_KIND_SERVER, parentSpanId: '' });
    const call = child(gatewayServer, 'health-api.healthz');
    expect(call?.kind).toBe(SPAN_KIND_INTERNAL);
    const client = call && child(call);
    expect(client).toMatchObject({ name: 'GET', kind: SPAN_KIND_CLIENT });
    expect(client?.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200 });
    const healthServer = client && child(client);
    expect(healthServer).toMatchObject({ name: 'GET /healthz', kind: SPAN_KIND_SERVER });
    expect(healthServer && child(healthServer)?.name).toBe('HealthService.check');

    expect(new Set(trace.map((span) => span.resource['service.name']))).toEqual(new Set(['gateway-api', 'health-api']));
    expect(gatewayServer.resource['service.name']).toBe('gateway-api');
    expect(healthServer?.resource['service.name']).toBe('health-api');
  });

  it('has both /metrics scraped by a real Prometheus, healthz_count_total’s exemplar pointing at that trace', async () => {
    const targets = { 'health-api': await health.target(), 'gateway-api': await gateway.target() };
    const prometheus = await startPrometheus({ config: renderConfig({ targets, scrapeInterval: '1s' }) });
    try {
      const value = async (promql: string): Promise<number | undefined> => {
        const [result] = await query(prometheus.url, promql);
        return result ? Number(result.value[1]) : undefined;
      };
      expect(
        await waitFor('gateway requests in Prometheus', () =>
          value('http_server_request_duration_seconds_count{job="gateway-api",http_route="/upstream/healthz"}'),
        ),
      ).toBe(1);
      expect(
        await waitFor('health-api calls in Prometheus', () => value('healthz_count_total{job="health-api"}')),
      ).toBe(1);
      expect(await value('count(up{job=~"gateway-api|health-api"} == 1)')).toBe(2);
      const exemplars = await waitFor('an exemplar of healthz_count_total in Prometheus', async () => {
        const now = Date.now() / 1000;
        const response = await fetch(
          `${prometheus.url}/api/v1/query_exemplars?query=healthz_count_total&start=${now - 300}&end=${now + 60}`,
        );
        const { data } = (await response.json()) as {
          data: Array<{ exemplars: Array<{ labels: Record<string, string> }> }>;
        };
        return data[0]?.exemplars[0] ? data[0].exemplars : undefined;
      });
      expect(exemplars[0].labels['trace_id']).toBe(healthzTraceId);
    } finally {
      await prometheus.stop();
    }
  });
});

describe('gateway-api propagation and failures', () => {
  const receiver = new OtlpReceiver();
  let endpoint: string;

  beforeAll(async () => {
    endpoint = await receiver.start();
  });
  afterAll(() => receiver.stop());

  async function withGateway(
    upstreamUrl: string,
    extraEnv: Record<string, string>,
    use: (gateway: AppProcess) => Promise<void>,
  ) {
    const gateway = await AppProcess.start(
      { ...otlpEnv(endpoint), HEALTH_API_URL: upstreamUrl, ...extraEnv },
      'gateway-api',
    );
    try {
      await use(gateway);
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
  }

  it('propagates W3C traceparent, tracestate and baggage to health-api', async () => {
    const stub = new HttpStub('answer');
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    try {
      await withGateway(await stub.start(), {}, async (gateway) => {
        const response = await gateway.get('/upstream/healthz', {
          traceparent: `00-${traceId}-b7ad6b7169203331-01`,
          tracestate: 'congo=t61rcWkgMzE',
          baggage: 'tenant=acme,plan=gold',
        });
        expect(response.status).toBe(200);
      });
      const [{ headers }] = stub.requests;
      expect(headers['traceparent']).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(headers['tracestate']).toBe('congo=t61rcWkgMzE');
      expect(String(headers['baggage']).split(',').sort()).toEqual(['plan=gold', 'tenant=acme']);
    } finally {
      await stub.stop();
    }
  });

  it('answers 502 when health-api is down, its spans recording the error', async () => {
    const closed = new HttpStub('answer');
    const url = await closed.start();
    await closed.stop();
    await withGateway(url, {}, async (gateway) => {
      const response = await gateway.get('/upstream/healthz');
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({
        statusCode: 502,
        message: 'health-api is unreachable: ECONNREFUSED',
      });
    });
    const server = await waitFor('the failed server span', () =>
      receiver.spans.find(
        (span) => span.name === 'GET /upstream/healthz' && span.attributes['http.response.status_code'] === 502,
      ),
    );
    const call = receiver.spans.find((span) => span.parentSpanId === server.spanId);
    expect(server.status.code).toBe(STATUS_ERROR);
    expect(call).toMatchObject({ name: 'health-api.healthz', status: { code: STATUS_ERROR } });
  });

  it('answers 504 within its timeout when health-api does not answer', async () => {
    const hanging = new HttpStub('hang');
    try {
      await withGateway(await hanging.start(), { HEALTH_API_TIMEOUT_MS: '300' }, async (gateway) => {
        const response = await gateway.get('/upstream/healthz');
        expect(response.status).toBe(504);
        expect(await response.json()).toMatchObject({ message: 'health-api did not answer within 300 ms' });
      });
      const server = await waitFor('the timed-out server span', () =>
        receiver.spans.find(
          (span) => span.name === 'GET /upstream/healthz' && span.attributes['http.response.status_code'] === 504,
        ),
      );
      expect(server.status.code).toBe(STATUS_ERROR);
      const call = receiver.spans.find((span) => span.parentSpanId === server.spanId);
      const client = receiver.spans.find((span) => span.parentSpanId === call?.spanId);
      expect(client).toMatchObject({ kind: SPAN_KIND_CLIENT, status: { code: STATUS_ERROR } });
    } finally {
      await hanging.stop();
    }
  });

  it('refuses to start with a HEALTH_API_URL that is not a URL, naming it', async () => {
    const { code, logs } = await AppProcess.runToExit({ HEALTH_API_URL: 'not a url' }, 'gateway-api');
    expect(code).toBe(1);
    expect(logs).toContain('HEALTH_API_URL=\\"not a url\\" is not a URL');
  });
});
