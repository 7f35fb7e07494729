import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for health-api on loopback, for what the real one cannot be made to do on demand: record
 * the headers it was called with, or take a request and never answer it.
 */
export class HttpStub {
  readonly requests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  private readonly server: Server;

  constructor(private readonly behaviour: 'answer' | 'hang') {
    this.server = createServer((request, response) => {
      this.requests.push({ url: request.url ?? '', headers: request.headers });
      if (this.behaviour === 'answer') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"message":"stub"}');
      }
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
