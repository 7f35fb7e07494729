// A telemetry endpoint that accepts and discards: OTLP/HTTP (protobuf, JSON), dd-trace's agent API,
// Elastic's intake v2 and Sentry's envelopes. It answers each as its agent expects, counts the spans
// per variant (the first path segment; `dd-trace` for dd-trace, which posts at the URL's root) and
// serves the counts at GET /stats. Loopback only.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { createGunzip, gunzipSync } from 'node:zlib';
import { countDatadogSpans, countElasticEvents, countSentrySpans } from './count-peer-spans';
import { countJsonSpans, countProtobufSpans } from './count-spans';
import type { SinkStats, SinkStatsByVariant } from './sink-stats';

const stats: SinkStatsByVariant = {};
/** What dd-trace and Elastic's agent ask before sending: dd-trace must find no /info to keep the v0.4 API. */
const ELASTIC_SERVER_INFO = JSON.stringify({ version: '8.15.0', build_date: '2024-08-05T10:00:00Z', build_sha: '' });

function entryFor(key: string): SinkStats {
  return (stats[key] ??= { requests: 0, bytes: 0, spans: 0 });
}

function receive(request: IncomingMessage, body: Buffer): void {
  const segments = (request.url ?? '').split('?')[0]?.split('/').filter(Boolean) ?? [];
  const datadog = /^\/(v0\.[45])\/traces/.exec(request.url ?? '');
  const entry = entryFor(datadog ? 'dd-trace' : (segments[0] ?? ''));
  entry.requests++;
  entry.bytes += body.length;
  const payload = request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
  if (datadog) {
    entry.spans += countDatadogSpans(payload, datadog[1] as 'v0.4' | 'v0.5');
  } else if (segments.slice(1).join('/') === 'v1/traces') {
    const isJson = request.headers['content-type']?.includes('json') ?? false;
    entry.spans += isJson ? countJsonSpans(payload.toString('utf8')) : countProtobufSpans(payload);
  } else if (segments.at(-1) === 'envelope') {
    entry.spans += countSentrySpans(payload);
  }
}

/**
 * Elastic's agent streams events in one long request (ndjson, gzip): counted line by line as they come,
 * so that the events of a request cut short when the app exits still count.
 */
function receiveElasticIntake(request: IncomingMessage, response: ServerResponse, key: string): void {
  const entry = entryFor(key);
  entry.requests++;
  request.on('data', (chunk: Buffer) => (entry.bytes += chunk.length));
  const body = request.headers['content-encoding'] === 'gzip' ? request.pipe(createGunzip()) : request;
  body.on('error', () => undefined); // a stream cut by the app's exit: what arrived is counted
  createInterface({ input: body }).on('line', (line) => (entry.spans += countElasticEvents(line)));
  request.on('end', () => response.writeHead(202).end());
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const url = request.url ?? '';
  const path = url.split('?')[0] ?? '';
  if (request.method === 'POST' && path.endsWith('/intake/v2/events')) {
    receiveElasticIntake(request, response, url.split('/').filter(Boolean)[0] ?? '');
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    if (request.method === 'GET') {
      if (url === '/stats') response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
      else if (url === '/info') response.writeHead(404).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end(ELASTIC_SERVER_INFO);
      return;
    }
    try {
      receive(request, Buffer.concat(chunks));
    } catch (error) {
      console.error(`could not count the spans of ${request.method} ${url}: ${(error as Error).message}`);
    }
    if (/^\/v0\.[45]\/traces/.test(url)) {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"rate_by_service":{}}');
    } else if (path.endsWith('/envelope/')) {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } else {
      // An empty body is a valid, empty ExportTraceServiceResponse in both encodings.
      response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/x-protobuf' }).end();
    }
  });
}

const server = createServer(handle);
server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
  console.log(`Listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => process.exit(0));
