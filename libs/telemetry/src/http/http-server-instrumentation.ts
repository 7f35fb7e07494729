import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import {
  type Attributes,
  type Context,
  context,
  type Meter,
  type MetricOptions,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { globalErrorHandler, type RPCMetadata, RPCType, setRPCMetadata } from '@opentelemetry/core';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_URL_SCHEME,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';
import { DURATION_BUCKETS_SECONDS } from '../metrics/duration-buckets';
import { histogramExemplars } from '../metrics/exemplars';
import { type MetricStore, type StoredSeries } from '../metrics/metric-store';
import { isRequestFor } from '../metrics/prometheus/request-path';
import { LIBRARY_SCOPE } from '../telemetry.constants';
import { normalizeMethod, serverRequestAttributes, type UrlScheme } from './server-request-attributes';

/** `error.type` of a request whose connection closed before its response was complete. */
export const ABORTED_ERROR_TYPE = 'aborted';

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;

interface PatchedServerPrototype {
  emit: Emit;
}

/**
 * The SERVER span and the `http.server.request.duration` histogram of every request an `http` or
 * `https` server receives, per the stable HTTP semantic conventions, with an incoming W3C
 * `traceparent`/`baggage` continued.
 *
 * Replaces the server side of `@opentelemetry/instrumentation-http`, which cost about twice as much per
 * request (URL parsing, header capture hooks, and both request and response bound to the context, which
 * re-wraps every listener anyone adds to them). Here, per request: one span with the attributes known on
 * arrival, one listener for the end, and the request (not the response) bound to the context only when
 * it has a body, because only then do later events on it (the body parser's `data`/`end`) lead to the
 * handler. The route is not known here: `HttpRouteGuard` puts Nest's matched route in the request's
 * `RPCMetadata`, read when the response ends.
 *
 * Prometheus scrapes of `metricsPath` are neither traced nor measured: a scrape every few seconds would
 * drown the traces that matter.
 */
export class HttpServerInstrumentation {
  private readonly recordDuration: (seconds: number, outcome: RequestOutcome, span: Span) => void;
  private readonly restores: Array<() => void> = [];

  /** With `store`, the duration is aggregated there (see `MetricStore`); else by the SDK, through `meter`. */
  constructor(
    private readonly tracer: Tracer,
    meter: Meter,
    private readonly metricsPath: string,
    store?: MetricStore,
  ) {
    this.recordDuration = store ? storedDurationRecorder(store) : sdkDurationRecorder(meter);
  }

  /** Patches `emit` of `http.Server` and `https.Server`: every server, made before or after, is covered. */
  enable(): void {
    if (this.restores.length > 0) return;
    this.patch(http.Server.prototype as unknown as PatchedServerPrototype, 'http');
    this.patch(https.Server.prototype as unknown as PatchedServerPrototype, 'https');
  }

  disable(): void {
    this.restores.splice(0).forEach((restore) => restore());
  }

  private patch(prototype: PatchedServerPrototype, scheme: UrlScheme): void {
    const hadOwnEmit = Object.prototype.hasOwnProperty.call(prototype, 'emit');
    const originalEmit = prototype.emit;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- `emit` must keep the server as `this`
    const instrumentation = this;
    prototype.emit = function emitWithTelemetry(this: unknown, event: string | symbol, ...args: unknown[]): boolean {
      if (event !== 'request') return originalEmit.apply(this, [event, ...args]);
      return instrumentation.traceRequest(scheme, args[0] as IncomingMessage, args[1] as ServerResponse, () =>
        originalEmit.apply(this, [event, ...args]),
      );
    };
    this.restores.push(() => {
      if (hadOwnEmit) prototype.emit = originalEmit;
      else delete (prototype as Partial<PatchedServerPrototype>).emit;
    });
  }

  private traceRequest(
    scheme: UrlScheme,
    request: IncomingMessage,
    response: ServerResponse,
    handle: () => boolean,
  ): boolean {
    if (isRequestFor(request.url, this.metricsPath)) return handle();
    const traced = this.startRequest(scheme, request, response);
    if (!traced) return handle();
    try {
      return context.with(traced.context, handle);
    } catch (error) {
      // A request listener that throws is the app's bug, and Node's to report: the span says so and
      // ends with the response.
      traced.span.recordException(error as Error);
      traced.span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    }
  }

  /**
   * The request's span, context and end listener; `undefined` if telemetry itself failed, reported
   * through the (rate-limited) global error handler: telemetry never fails a request.
   */
  private startRequest(
    scheme: UrlScheme,
    request: IncomingMessage,
    response: ServerResponse,
  ): TracedRequest | undefined {
    try {
      const startedAt = performance.now();
      const method = normalizeMethod(request.method);
      const { headers } = request;
      const parent = propagation.extract(ROOT_CONTEXT, headers);
      const span = this.tracer.startSpan(
        method,
        { kind: SpanKind.SERVER, attributes: serverRequestAttributes(request, scheme, method) },
        parent,
      );
      const traced = new TracedRequest(span, parent, method, scheme, startedAt);
      if (hasBody(headers)) context.bind(traced.context, request);
      response.once('close', () => {
        try {
          this.endRequest(traced, request, response);
        } catch (error) {
          globalErrorHandler(error as Error);
        }
      });
      return traced;
    } catch (error) {
      globalErrorHandler(error as Error);
      return undefined;
    }
  }

  private endRequest(traced: TracedRequest, request: IncomingMessage, response: ServerResponse): void {
    const { span, method, scheme, startedAt } = traced;
    const outcome: Attributes = {};
    const route = traced.route;
    if (route !== undefined) {
      outcome[ATTR_HTTP_ROUTE] = route;
      span.updateName(`${method} ${route}`);
    }
    // A response cut short never sent its status if its headers were not out yet.
    if (response.headersSent) outcome[ATTR_HTTP_RESPONSE_STATUS_CODE] = response.statusCode;
    const errorType =
      response.statusCode >= 500
        ? String(response.statusCode)
        : response.writableFinished
          ? undefined
          : ABORTED_ERROR_TYPE;
    if (errorType !== undefined) {
      outcome[ATTR_ERROR_TYPE] = errorType;
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.setAttributes(outcome);
    span.end();
    const seconds = (performance.now() - startedAt) / 1000;
    const shape = response.headersSent ? shapeNumber(request, response, scheme) : undefined;
    this.recordDuration(seconds, { method, scheme, protocolVersion: request.httpVersion, outcome, shape }, span);
  }
}

/**
 * A request as traced: its span, its context (the span and this object as the request's RPC metadata, whose
 * `route` the route guard fills in) and what its duration is recorded with.
 *
 * A class rather than an object literal, as is everything per request that holds the span: V8 may decide that
 * a literal's allocation site makes long-lived objects and then allocate them in the old generation, where
 * each one, dead as soon as its request ends, keeps the young span it references, with its attributes, alive
 * through every young-generation collection until a full one. Class instances are not pretenured so.
 */
class TracedRequest implements RPCMetadata {
  readonly type = RPCType.HTTP;
  route?: string;
  readonly context: Context;

  constructor(
    readonly span: Span,
    parent: Context,
    readonly method: string,
    readonly scheme: UrlScheme,
    readonly startedAt: number,
  ) {
    this.context = setRPCMetadata(trace.setSpan(parent, span), this);
  }
}

/** What the duration of a request is recorded with: its method, scheme and protocol, and its outcome. */
interface RequestOutcome {
  method: string;
  scheme: UrlScheme;
  protocolVersion: string;
  /** `http.route`, `http.response.status_code` and `error.type`, as far as known. */
  outcome: Attributes;
  /** With the method and route, what the outcome and protocol were, as one number (`shapeNumber()`). */
  shape: number | undefined;
}

/**
 * The status, whether the response finished, the scheme and the protocol version of a request whose headers were
 * sent, as one number: with its method and route, this names the request's series without a string made per
 * request. `error.type` follows from the status and whether the response finished; Node's parser gives one digit
 * each of major and minor version, and a status sent is an integer from 100 to 999.
 */
function shapeNumber(request: IncomingMessage, response: ServerResponse, scheme: UrlScheme): number {
  const finishedAndScheme = (response.writableFinished ? 2 : 0) + (scheme === 'https' ? 1 : 0);
  return (response.statusCode * 4 + finishedAndScheme) * 100 + request.httpVersionMajor * 10 + request.httpVersionMinor;
}

const DURATION_OPTIONS: MetricOptions = {
  description: 'Duration of HTTP server requests.',
  unit: 's',
  advice: { explicitBucketBoundaries: DURATION_BUCKETS_SECONDS },
};

function durationAttributes({ method, scheme, protocolVersion, outcome }: RequestOutcome): Attributes {
  return {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_SCHEME]: scheme,
    [ATTR_NETWORK_PROTOCOL_VERSION]: protocolVersion,
    ...outcome,
  };
}

/**
 * Records into the SDK's histogram, and offers the exemplar after: the request's context has ended by
 * then, so the exemplar names the SERVER span explicitly.
 */
function sdkDurationRecorder(meter: Meter): (seconds: number, request: RequestOutcome, span: Span) => void {
  const histogram = meter.createHistogram(METRIC_HTTP_SERVER_REQUEST_DURATION, DURATION_OPTIONS);
  const exemplars = histogramExemplars(LIBRARY_SCOPE, METRIC_HTTP_SERVER_REQUEST_DURATION, DURATION_BUCKETS_SECONDS);
  return (seconds, request, span) => {
    const attributes = durationAttributes(request);
    histogram.record(seconds, attributes);
    exemplars.offer(seconds, attributes, span.spanContext());
  };
}

/**
 * Most request shapes (method, route, status…) whose series the recorder keeps by key; past it, a shape
 * is resolved through the histogram's own lookup each time, bounded by its cardinality limit.
 */
const MAX_CACHED_REQUEST_SHAPES = 4096;

/**
 * Records into the metric store, each request shape's series found by its method, route and `shapeNumber()`:
 * no attribute object or key string is made or hashed per request. A request whose headers were never sent has
 * no shape number: its series is resolved through the histogram's own lookup, as is any shape past
 * `MAX_CACHED_REQUEST_SHAPES`.
 */
function storedDurationRecorder(store: MetricStore): (seconds: number, request: RequestOutcome, span: Span) => void {
  const histogram = store.histogram(LIBRARY_SCOPE, METRIC_HTTP_SERVER_REQUEST_DURATION, DURATION_OPTIONS);
  const seriesByShape = new SeriesByShape();
  return (seconds, request, span) => {
    const route = request.outcome[ATTR_HTTP_ROUTE] as string | undefined;
    let series = request.shape === undefined ? undefined : seriesByShape.find(request.method, route, request.shape);
    if (!series) {
      series = histogram.seriesOf(durationAttributes(request));
      if (request.shape !== undefined) seriesByShape.keep(request.method, route, request.shape, series);
    }
    histogram.recordIn(series, seconds, span.spanContext());
  };
}

/**
 * Series by method, then route, then shape number. The method and route are strings that `normalizeMethod()` and
 * the router keep from one request to the next, so V8 has their hashes cached; the shape number needs none.
 */
class SeriesByShape {
  private readonly byMethod = new Map<string, Map<string | undefined, Map<number, StoredSeries>>>();
  private size = 0;

  find(method: string, route: string | undefined, shape: number): StoredSeries | undefined {
    return this.byMethod.get(method)?.get(route)?.get(shape);
  }

  keep(method: string, route: string | undefined, shape: number, series: StoredSeries): void {
    if (this.size >= MAX_CACHED_REQUEST_SHAPES) return;
    let byRoute = this.byMethod.get(method);
    if (!byRoute) this.byMethod.set(method, (byRoute = new Map()));
    let byShape = byRoute.get(route);
    if (!byShape) byRoute.set(route, (byShape = new Map()));
    byShape.set(shape, series);
    this.size++;
  }
}

/** Whether the request has a body to read (RFC 9112 §6.3), as `type-is` decides for the body parsers. */
function hasBody(headers: IncomingHttpHeaders): boolean {
  return (
    headers['transfer-encoding'] !== undefined ||
    (headers['content-length'] !== undefined && headers['content-length'] !== '0')
  );
}
