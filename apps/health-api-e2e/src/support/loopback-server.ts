import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP server the tests run on a free loopback port: `start()` gives its base URL, `stop()` drops every
 * connection. Subclasses say how to answer.
 */
export abstract class LoopbackServer {
  private readonly server: Server = createServer((request, response) => this.handle(request, response));

  protected abstract handle(request: IncomingMessage, response: ServerResponse): void;

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
