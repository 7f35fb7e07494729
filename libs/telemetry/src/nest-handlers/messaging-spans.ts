import {
  type Attributes,
  type Context,
  context,
  type Histogram,
  metrics,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { DURATION_BUCKETS_SECONDS } from '../metrics/duration-buckets';
import { LIBRARY_SCOPE } from '../telemetry.constants';
import { type Carrier, carrierSetter, type IncomingMessage } from './message-carriers';

export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_DESTINATION_TEMPLATE = 'messaging.destination.template';
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_ERROR_TYPE = 'error.type';
export const METRIC_CLIENT_DURATION = 'messaging.client.operation.duration';
export const METRIC_PROCESS_DURATION = 'messaging.process.duration';

/**
 * A message being sent or processed: its span, what it started at, its attributes so far. A class rather than an
 * object literal, as the HTTP server's `TracedRequest`: V8 may allocate a literal that holds a span in the old
 * generation, where it keeps the young span alive through young-generation collections after its end.
 */
export class MessageOperation {
  readonly context: Context;
  readonly startedAt = performance.now();
  errorType?: string;

  constructor(
    readonly span: Span,
    parent: Context,
    /** The attributes of its metric series: of bounded values only. */
    readonly attributes: Attributes,
  ) {
    this.context = trace.setSpan(parent, span);
  }
}

/** The operation each CONSUMER span belongs to, for a handler's failure to be recorded on it. */
const consumerOperations = new WeakMap<Span, MessageOperation>();

/**
 * Histograms looked up per SDK (not cached across a restart, as `@Timed()` does not either): the meter of the
 * library scope, the instrument made once per meter.
 */
const histograms = new WeakMap<object, Map<string, Histogram>>();

function histogram(name: string, description: string): Histogram {
  const meter = metrics.getMeter(LIBRARY_SCOPE);
  let byName = histograms.get(meter);
  if (byName === undefined) histograms.set(meter, (byName = new Map()));
  let instrument = byName.get(name);
  if (instrument === undefined) {
    instrument = meter.createHistogram(name, {
      description,
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS_SECONDS },
    });
    byName.set(name, instrument);
  }
  return instrument;
}

/** The PRODUCER span of `send <pattern>`, a child of the active span. */
export function startProducer(system: string, destination: string, operationName: string): MessageOperation {
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: system,
    [ATTR_MESSAGING_DESTINATION_NAME]: destination,
    [ATTR_MESSAGING_OPERATION_NAME]: operationName,
    [ATTR_MESSAGING_OPERATION_TYPE]: 'send',
  };
  const span = trace.getTracer(LIBRARY_SCOPE).startSpan(`send ${destination}`, { kind: SpanKind.PRODUCER, attributes });
  return new MessageOperation(span, context.active(), attributes);
}

/** `traceparent`, `tracestate` and `baggage` of the active context, for the transport's headers. */
export function activeCarrier(): Carrier {
  const carrier: Carrier = {};
  propagation.inject(context.active(), carrier, carrierSetter);
  return carrier;
}

/**
 * The CONSUMER span of `process <pattern>`, a child of the producer's context the message carried. A destination
 * matched by a wildcard pattern (`template`) is named by the pattern, and only the pattern goes into the metric
 * series: the destination itself stays on the span.
 */
export function startConsumer(system: string, message: IncomingMessage, template?: string): MessageOperation {
  const parent = propagation.extract(ROOT_CONTEXT, message.carrier, message.getter);
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: system,
    ...(template === undefined
      ? { [ATTR_MESSAGING_DESTINATION_NAME]: message.destination }
      : { [ATTR_MESSAGING_DESTINATION_TEMPLATE]: template }),
    [ATTR_MESSAGING_OPERATION_NAME]: 'process',
    [ATTR_MESSAGING_OPERATION_TYPE]: 'process',
  };
  const spanAttributes =
    template === undefined ? attributes : { ...attributes, [ATTR_MESSAGING_DESTINATION_NAME]: message.destination };
  const span = trace
    .getTracer(LIBRARY_SCOPE)
    .startSpan(
      `process ${template ?? message.destination}`,
      { kind: SpanKind.CONSUMER, attributes: spanAttributes },
      parent,
    );
  const operation = new MessageOperation(span, parent, attributes);
  consumerOperations.set(span, operation);
  return operation;
}

/** Records a handler's failure on the CONSUMER span active where it ran, if there is one. */
export function recordHandlerError(error: unknown): void {
  const span = trace.getActiveSpan();
  const operation = span === undefined ? undefined : consumerOperations.get(span);
  if (operation !== undefined) recordError(operation, error);
}

/** The error on the span (exception event, ERROR status) and its `error.type`, once. */
export function recordError(operation: MessageOperation, error: unknown): void {
  if (operation.errorType !== undefined) return;
  operation.errorType = errorType(error);
  operation.span.recordException(error instanceof Error ? error : String(describe(error)));
  operation.span.setStatus({ code: SpanStatusCode.ERROR, message: describe(error) });
}

/** Ends the span and records its duration, with `error.type` when it failed. */
export function endOperation(operation: MessageOperation, metric: 'client' | 'process'): void {
  const attributes: Attributes = { ...operation.attributes };
  if (operation.errorType !== undefined) {
    attributes[ATTR_ERROR_TYPE] = operation.errorType;
    operation.span.setAttribute(ATTR_ERROR_TYPE, operation.errorType);
  }
  operation.span.end();
  const seconds = (performance.now() - operation.startedAt) / 1000;
  if (metric === 'client') {
    histogram(
      METRIC_CLIENT_DURATION,
      'Duration of messaging operation initiated by a producer or consumer client.',
    ).record(seconds, attributes);
  } else {
    histogram(METRIC_PROCESS_DURATION, 'Duration of processing operation.').record(seconds, attributes);
  }
}

/** `error.type`: the class of an `Error` (`RpcException`), `_OTHER` for what is not one. */
function errorType(error: unknown): string {
  if (error instanceof Error) return error.constructor.name || error.name;
  return '_OTHER';
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return typeof error === 'string' ? error : JSON.stringify(error);
}
