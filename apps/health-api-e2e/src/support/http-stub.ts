import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from './loopback-server';

/**
 * A stand-in for health-api on loopback, for what the real one cannot be made to do on demand: record
 * the headers it was called with, or take a request and never answer it.
 */
export class HttpStub extends LoopbackServer {
  readonly requests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];

  constructor(private readonly behaviour: 'answer' | 'hang') {
    super();
  }

  protected handle(request: IncomingMessage, response: ServerResponse): void {
    this.requests.push({ url: request.url ?? '', headers: request.headers });
    if (this.behaviour === 'answer') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"message":"stub"}');
    }
  }
}
