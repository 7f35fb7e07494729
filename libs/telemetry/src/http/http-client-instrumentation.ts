import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

/**
 * HTTP client telemetry with the stable semantic conventions: one CLIENT span per outgoing call, with
 * W3C trace context and baggage injected, and the `http.client.request.duration` histogram.
 *
 * Only the client side of `@opentelemetry/instrumentation-http`: the server side is
 * `HttpServerInstrumentation`, which records the same SERVER span and histogram at a fraction of the
 * cost (see the benchmark in the README).
 */
export function createHttpClientInstrumentation(): HttpInstrumentation {
  return new HttpInstrumentation({ disableIncomingRequestInstrumentation: true });
}
