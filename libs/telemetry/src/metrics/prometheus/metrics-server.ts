import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diag } from '@opentelemetry/api';
import type { PrometheusExposition } from './prometheus-exposition';
import { isRequestFor } from './request-path';
import { refuseScrape, type ScrapeAuthorization } from './scrape-authorization';

export interface MetricsServerOptions {
  port: number;
  /** Default: every interface, like the Prometheus exporter; `127.0.0.1` keeps metrics on the machine. */
  host?: string;
  path: string;
  /** Who may scrape (`METRICS_BEARER_TOKEN`). */
  authorization: ScrapeAuthorization;
}

/**
 * `/metrics` on a port of its own, so that it can be bound to another interface than the app (or
 * firewalled apart), behind the same bearer token as on the app's port when one is set. Failing to listen (a port in use) is logged and leaves the app running.
 */
export class MetricsServer {
  private readonly server: Server;

  constructor(
    private readonly exposition: PrometheusExposition,
    private readonly options: MetricsServerOptions,
  ) {
    this.server = createServer((request, response) => {
      if (request.method !== 'GET' || !isRequestFor(request.url, options.path)) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found\n');
        return;
      }
      if (!options.authorization.allows(request.headers.authorization)) {
        refuseScrape(response);
        return;
      }
      const format = new URLSearchParams((request.url ?? '').slice(options.path.length + 1)).get('format') ?? undefined;
      this.exposition.scrape(request.headers.accept, format).then(
        ({ status, body, contentType }) => response.writeHead(status, { 'content-type': contentType }).end(body),
        (error: unknown) => {
          diag.error('Rendering /metrics failed', error);
          response.writeHead(500, { 'content-type': 'text/plain' }).end('# metrics unavailable\n');
        },
      );
    });
    // Telemetry must not keep a finished process alive.
    this.server.unref();
  }

  /** Resolves to the bound address, or `undefined` when the port could not be had. */
  listen(): Promise<AddressInfo | undefined> {
    return new Promise((resolve) => {
      this.server.once('error', (error: NodeJS.ErrnoException) => {
        diag.error(
          `Cannot serve metrics on ${this.options.host ?? '*'}:${this.options.port}: ${error.code ?? error.message}; ` +
            'the app keeps running without /metrics',
        );
        resolve(undefined);
      });
      this.server.listen(this.options.port, this.options.host, () => resolve(this.server.address() as AddressInfo));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server.listening ? this.server.close(() => resolve()) : resolve()));
  }
}
