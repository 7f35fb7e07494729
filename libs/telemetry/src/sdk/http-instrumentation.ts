import type { IncomingMessage } from 'node:http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

/**
 * HTTP server and client telemetry with the stable semantic conventions: one SERVER span per request,
 * one CLIENT span per outgoing call (with W3C trace context injected), and the
 * `http.server.request.duration` / `http.client.request.duration` histograms.
 *
 * Prometheus scrapes are not traced: a scrape every second would drown the traces that matter.
 * The span name and `http.route` come from Nest's matched route (see `HttpRouteGuard`),
 * never from the raw URL, so unknown URLs cannot create a span name or series per URL.
 */
export function createHttpInstrumentation(metricsPath: string): HttpInstrumentation {
  return new HttpInstrumentation({
    ignoreIncomingRequestHook: (request: IncomingMessage) => isScrape(request.url, metricsPath),
  });
}

function isScrape(url: string | undefined, metricsPath: string): boolean {
  if (!url?.startsWith(metricsPath)) return false;
  const rest = url.slice(metricsPath.length);
  return rest === '' || rest.startsWith('?');
}
