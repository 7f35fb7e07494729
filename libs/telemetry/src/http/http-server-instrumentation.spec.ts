import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { type AddressInfo, connect } from 'node:net';
import { context, type Meter, metrics, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { getRPCMetadata, loggingErrorHandler, setGlobalErrorHandler } from '@opentelemetry/core';
import request from 'supertest';
import { FinishedSpans } from '../testing/finished-spans';
import { startTelemetry } from '../sdk/start-telemetry';
import { getStartedTelemetry } from '../state/started-telemetry';
import { ABORTED_ERROR_TYPE, HttpServerInstrumentation } from './http-server-instrumentation';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

/** A plain `http` server on loopback: the instrumentation covers any server, not only Nest's. */
async function listen(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** What a route-aware framework does (Nest's `HttpRouteGuard`): put the matched route in the request's RPC metadata. */
function routed(route: string, then: Handler): Handler {
  return (req, res) => {
    const metadata = getRPCMetadata(context.active());
    if (metadata) metadata.route = route;
    then(req, res);
  };
}

const ok: Handler = (_req, res) => res.end('ok');

/** A GET in HTTP/1.0, which no client of Node's sends: written on a socket, read to its end. */
async function httpOneZeroRequest(url: string, path: string): Promise<void> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.end(`GET ${path} HTTP/1.0\r\nHost: ${hostname}\r\n\r\n`);
  socket.resume();
  await new Promise((resolve, reject) => socket.on('close', resolve).on('error', reject));
}

async function metricsText(): Promise<string> {
  return (await getStartedTelemetry()?.appPortMetrics?.render()) ?? '';
}

describe('HttpServerInstrumentation (started by startTelemetry)', () => {
  let spans: FinishedSpans;
  let server: Server | https.Server | undefined;

  beforeEach(() => {
    spans = new FinishedSpans();
    startTelemetry({ spanProcessors: [spans], runtimeMetrics: false });
  });
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
    await getStartedTelemetry()?.shutdown();
  });

  it('records one SERVER span per request with the stable semantic-convention attributes', async () => {
    const started = await listen(routed('/users/:id', ok));
    server = started.server;
    await request(started.url)
      .get('/users/42?page=2')
      .set('User-Agent', 'spec-agent/1.0')
      .set('X-Forwarded-For', '203.0.113.7, 10.0.0.1')
      .expect(200);

    const [span] = await spans.waitFor(1);
    expect(span.name).toBe('GET /users/:id');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    const port = Number(new URL(started.url).port);
    expect(span.attributes).toEqual({
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'url.path': '/users/42',
      'url.query': 'page=REDACTED',
      'http.route': '/users/:id',
      'http.response.status_code': 200,
      'network.protocol.version': '1.1',
      'network.peer.address': '127.0.0.1',
      'network.peer.port': expect.any(Number),
      'client.address': '203.0.113.7',
      'server.address': '127.0.0.1',
      'server.port': port,
      'user_agent.original': 'spec-agent/1.0',
    });
  });

  it('measures http.server.request.duration by method, route and status, never by URL', async () => {
    const started = await listen(routed('/users/:id', ok));
    server = started.server;
    for (const id of [1, 2, 3]) await request(started.url).get(`/users/${id}`).expect(200);
    await spans.waitFor(3);

    const text = await metricsText();
    expect(text).toMatch(
      /^http_server_request_duration_seconds_count\{http_request_method="GET",url_scheme="http",network_protocol_version="1\.1",http_route="\/users\/:id",http_response_status_code="200",otel_scope_name="@obs\/telemetry"[^}]*\} 3$/m,
    );
    expect(text).not.toMatch(/users\/[0-9]/);
  });

  it('keeps each request shape (method, route, status, outcome) in a series of its own', async () => {
    let status = 200;
    const started = await listen(
      routed('/items', (_req, res) => {
        res.statusCode = status;
        res.end();
      }),
    );
    server = started.server;
    for (const next of [200, 404, 200, 500]) {
      status = next;
      await request(started.url).get('/items').expect(next);
    }
    await request(started.url).post('/items').expect(500);
    await spans.waitFor(5);

    const counts = [...(await metricsText()).matchAll(/^http_server_request_duration_seconds_count\{(.*)\} (\d+)$/gm)];
    const shapes = counts.map(([, labels, count]) => {
      const label = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(labels ?? '')?.[1];
      return [label('http_request_method'), label('http_response_status_code'), label('error_type'), Number(count)];
    });
    expect(shapes.sort()).toEqual([
      ['GET', '200', undefined, 2],
      ['GET', '404', undefined, 1],
      ['GET', '500', '500', 1],
      ['POST', '500', '500', 1],
    ]);
  });

  it('keeps one route’s requests apart by protocol version and by whether the response finished', async () => {
    let headersOut: () => void = () => undefined;
    const partialSent = new Promise<void>((resolve) => (headersOut = resolve));
    const started = await listen(
      routed('/items', (req, res) => {
        if (req.url !== '/items/partial') return res.end('ok');
        res.writeHead(200).write('part'); // then the client goes away
        headersOut();
      }),
    );
    server = started.server;
    await request(started.url).get('/items/1').expect(200);
    await request(started.url).get('/items/2').expect(200);
    await httpOneZeroRequest(started.url, '/items/3');
    const client = http.get(`${started.url}/items/partial`);
    client.on('error', () => undefined); // the abort below
    await partialSent;
    client.destroy();
    await spans.waitFor(4);

    const counts = [...(await metricsText()).matchAll(/^http_server_request_duration_seconds_count\{(.*)\} (\d+)$/gm)];
    const shapes = counts.map(([, labels, count]) => {
      const label = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(labels ?? '')?.[1];
      return [
        label('network_protocol_version'),
        label('http_response_status_code'),
        label('error_type'),
        Number(count),
      ];
    });
    expect(shapes.sort()).toEqual([
      ['1.0', '200', undefined, 1],
      ['1.1', '200', undefined, 2],
      ['1.1', '200', 'aborted', 1],
    ]);
  });

  it('continues an incoming traceparent', async () => {
    const started = await listen(ok);
    server = started.server;
    await request(started.url).get('/').set('traceparent', `00-${TRACE_ID}-${PARENT_ID}-01`).expect(200);

    const [span] = await spans.waitFor(1);
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(span.name).toBe('GET'); // no route known: the bare method, never the URL
  });

  it('marks a 5xx answer as an error, with error.type on the span and the histogram', async () => {
    const started = await listen((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    server = started.server;
    await request(started.url).get('/').expect(503);

    const [span] = await spans.waitFor(1);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('503');
    expect(await metricsText()).toMatch(
      /^http_server_request_duration_seconds_count\{[^}]*http_response_status_code="503",error_type="503"[^}]*\} 1$/m,
    );
  });

  it('leaves a 4xx answer unset: the client erred, not the server', async () => {
    const started = await listen((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    server = started.server;
    await request(started.url).get('/nowhere').expect(404);

    const [span] = await spans.waitFor(1);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['error.type']).toBeUndefined();
  });

  it('ends the span of a request whose client went away before the answer, as aborted and without a status code', async () => {
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const started = await listen(() => arrived()); // never answers
    server = started.server;
    const client = http.get(`${started.url}/slow`);
    client.on('error', () => undefined); // the abort below
    await requestArrived;
    client.destroy();

    const [span] = await spans.waitFor(1);
    expect(span.attributes['error.type']).toBe(ABORTED_ERROR_TYPE);
    expect(span.attributes['http.response.status_code']).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("runs the body's listeners in the request's context, so work after body parsing joins its trace", async () => {
    const started = await listen((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => res.end(JSON.stringify({ body, activeSpanId: trace.getActiveSpan()?.spanContext().spanId })));
    });
    server = started.server;
    const { text } = await request(started.url).post('/orders').send({ item: 'tea' }).expect(200);

    const [span] = await spans.waitFor(1);
    const answer = JSON.parse(text) as { body: string; activeSpanId?: string };
    expect(JSON.parse(answer.body)).toEqual({ item: 'tea' });
    expect(answer.activeSpanId).toBe(span.spanContext().spanId);
  });

  it('records a method the conventions do not know as _OTHER, with the method as sent', async () => {
    const started = await listen(ok);
    server = started.server;
    await request(started.url).propfind('/').expect(200);

    const [span] = await spans.waitFor(1);
    expect(span.name).toBe('_OTHER');
    expect(span.attributes['http.request.method']).toBe('_OTHER');
    expect(span.attributes['http.request.method_original']).toBe('PROPFIND');
  });

  it('neither traces nor measures Prometheus scrapes of the metrics path', async () => {
    const started = await listen(ok);
    server = started.server;
    await request(started.url).get('/metrics').expect(200);
    await request(started.url).get('/metrics?name[]=up').expect(200);
    await request(started.url).get('/metricsx').expect(200);

    const finished = await spans.waitFor(1);
    expect(finished.map((span) => span.attributes['url.path'])).toEqual(['/metricsx']);
    expect(await metricsText()).toMatch(/^http_server_request_duration_seconds_count\{[^}]*\} 1$/m);
  });

  it('covers https servers too, with url.scheme https', async () => {
    // A self-signed certificate for 127.0.0.1, made for this test only.
    const fixtures = join(__dirname, 'fixtures');
    const httpsServer = https.createServer(
      {
        key: readFileSync(join(fixtures, 'loopback-key.pem')),
        cert: readFileSync(join(fixtures, 'loopback-cert.pem')),
      },
      ok,
    );
    await new Promise<void>((resolve) => httpsServer.listen(0, '127.0.0.1', resolve));
    server = httpsServer;
    const { port } = httpsServer.address() as AddressInfo;
    await new Promise<void>((resolve, reject) =>
      https
        .get({ host: '127.0.0.1', port, path: '/secure', rejectUnauthorized: false }, (res) =>
          res.resume().on('end', resolve),
        )
        .on('error', reject),
    );

    const [span] = await spans.waitFor(1);
    expect(span.attributes).toMatchObject({
      'url.scheme': 'https',
      'url.path': '/secure',
      'http.response.status_code': 200,
    });
  });

  it('unpatches at shutdown: a server after it records nothing', async () => {
    await getStartedTelemetry()?.shutdown();
    const started = await listen(ok);
    server = started.server;
    await request(started.url).get('/').expect(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(spans.spans).toEqual([]);
    expect(Object.prototype.hasOwnProperty.call(http.Server.prototype, 'emit')).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(https.Server.prototype, 'emit')).toBe(false);
  });
});

describe('HttpServerInstrumentation when telemetry itself fails', () => {
  const failing = (): never => {
    throw new Error('telemetry broke');
  };
  let server: Server | undefined;
  let instrumentation: HttpServerInstrumentation | undefined;
  const errors: unknown[] = [];

  beforeEach(() => {
    errors.length = 0;
    setGlobalErrorHandler((error) => errors.push(error));
  });
  afterEach(async () => {
    instrumentation?.disable();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    setGlobalErrorHandler(loggingErrorHandler());
  });

  it.each([
    ['starting the span', { startSpan: failing } as unknown as Tracer, noopMeter()],
    ['recording the duration', noopTracer(), { createHistogram: () => ({ record: failing }) } as unknown as Meter],
  ])('answers the request anyway when %s throws, and reports it once', async (_what, tracer, meter) => {
    instrumentation = new HttpServerInstrumentation(tracer, meter, '/metrics');
    instrumentation.enable();
    const started = await listen(ok);
    server = started.server;
    await request(started.url).get('/').expect(200, 'ok');
    for (let attempt = 0; attempt < 100 && errors.length === 0; attempt++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(errors).toEqual([expect.objectContaining({ message: 'telemetry broke' })]);
  });
});

function noopTracer(): Tracer {
  return trace.getTracer('noop');
}

function noopMeter(): Meter {
  return metrics.getMeter('noop');
}
