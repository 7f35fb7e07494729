// An OTLP/HTTP endpoint that accepts and discards: answers 200 to every export, counts traces' spans
// per variant (the first path segment) and serves the counts at GET /stats. Loopback only.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { countJsonSpans, countProtobufSpans } from './count-spans';
import type { SinkStatsByVariant } from './sink-stats';

const stats: SinkStatsByVariant = {};

function receive(request: IncomingMessage, body: Buffer): void {
  const [variant = '', ...rest] = (request.url ?? '').split('/').filter(Boolean);
  const entry = (stats[variant] ??= { requests: 0, bytes: 0, spans: 0 });
  entry.requests++;
  entry.bytes += body.length;
  if (rest.join('/') !== 'v1/traces') return;
  const payload = request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
  const isJson = request.headers['content-type']?.includes('json') ?? false;
  entry.spans += isJson ? countJsonSpans(payload.toString('utf8')) : countProtobufSpans(payload);
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    if (request.method === 'GET' && request.url === '/stats') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
      return;
    }
    receive(request, Buffer.concat(chunks));
    // An empty body is a valid, empty ExportTraceServiceResponse in both encodings.
    response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/x-protobuf' }).end();
  });
}

const server = createServer(handle);
server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
  console.log(`Listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => process.exit(0));
