import { context } from '@opentelemetry/api';
import { globalErrorHandler } from '@opentelemetry/core';
import { Observable } from 'rxjs';
import { clientSystem, injectIntoSerialized, patternName, withMqttUserProperties } from './message-carriers';
import { activeCarrier, endOperation, type MessageOperation, recordError, startProducer } from './messaging-spans';

type Send = (pattern: unknown, data: unknown) => Observable<unknown>;

/** What of Nest's `ClientProxy` is used: `send()`, `emit()` and its serializer. */
export interface TraceableClient {
  send: Send;
  emit: Send;
  serializer?: { serialize(value: unknown, options?: unknown): unknown };
  /** `ClientMqtt`'s publish options (QoS, MQTT 5 properties) of each packet. */
  mergePacketOptions?: (options: unknown) => unknown;
  options?: { protocolVersion?: number };
}

const TRACED_CLIENTS = new WeakSet<object>();

/**
 * Makes the client's `send()` and `emit()` run in a PRODUCER span `send <pattern>`, ended when the reply stream
 * ends (`send`) or the event is handed to the transport (`emit`), and its serializer (MQTT: its publish options)
 * add the span's context to what the transport carries beside the payload (see `injectIntoSerialized`). Per instance: Nest's clients are
 * configured per instance, and nothing of `ClientProxy` itself is patched.
 */
export function traceClient(client: TraceableClient): void {
  if (TRACED_CLIENTS.has(client)) return;
  TRACED_CLIENTS.add(client);
  const system = clientSystem(client);
  const send = client.send;
  const emit = client.emit;
  client.send = function (this: unknown, pattern: unknown, data: unknown) {
    return traced(system, 'send', pattern, () => send.call(this, pattern, data));
  };
  client.emit = function (this: unknown, pattern: unknown, data: unknown) {
    return traced(system, 'publish', pattern, () => emit.call(this, pattern, data));
  };
  wrapSerializer(client, system);
  if (system === 'mqtt') wrapMqttOptions(client);
}

/**
 * MQTT has headers from version 5 on only (user properties, publish options rather than part of the packet): the
 * carrier goes there when the client speaks MQTT 5 (`protocolVersion: 5`). Over MQTT 3.1.1 nothing carries it.
 */
function wrapMqttOptions(client: TraceableClient): void {
  const merge = client.mergePacketOptions;
  if (typeof merge !== 'function') return;
  client.mergePacketOptions = function (this: TraceableClient, options: unknown): unknown {
    const merged = merge.call(this, options);
    if (this.options?.protocolVersion !== 5) return merged;
    try {
      return withMqttUserProperties(merged, activeCarrier());
    } catch (error) {
      globalErrorHandler(error as Error);
      return merged;
    }
  };
}

function traced(
  system: string,
  operationName: string,
  pattern: unknown,
  call: () => Observable<unknown>,
): Observable<unknown> {
  const start = (): MessageOperation | undefined => {
    try {
      return startProducer(system, patternName(pattern), operationName);
    } catch (error) {
      globalErrorHandler(error as Error);
      return undefined;
    }
  };
  if (operationName === 'publish') {
    // `emit()` is hot: it sends at once, whether or not anyone subscribes.
    const operation = start();
    if (operation === undefined) return call();
    const source = context.with(operation.context, call);
    source.subscribe({ error: (error: unknown) => settle(operation, error), complete: () => settle(operation) });
    return source;
  }
  return new Observable<unknown>((subscriber) => {
    const operation = start();
    if (operation === undefined) return call().subscribe(subscriber);
    const subscription = context.with(operation.context, () =>
      call().subscribe({
        next: (value) => subscriber.next(value),
        error: (error: unknown) => {
          settle(operation, error);
          subscriber.error(error);
        },
        complete: () => {
          settle(operation);
          subscriber.complete();
        },
      }),
    );
    return () => {
      subscription.unsubscribe();
      settle(operation);
    };
  });
}

const SETTLED = new WeakSet<MessageOperation>();

function settle(operation: MessageOperation, error?: unknown): void {
  if (SETTLED.has(operation)) return;
  SETTLED.add(operation);
  try {
    if (error !== undefined) recordError(operation, error);
    endOperation(operation, 'client');
  } catch (failure) {
    globalErrorHandler(failure as Error);
  }
}

function wrapSerializer(client: TraceableClient, system: string): void {
  const serializer = client.serializer;
  if (serializer === undefined || typeof serializer.serialize !== 'function') return;
  const serialize = serializer.serialize.bind(serializer);
  const wrapped = Object.create(serializer) as NonNullable<TraceableClient['serializer']>;
  wrapped.serialize = (value: unknown, options?: unknown) => {
    const serialized = serialize(value, options);
    const inject = (output: unknown): unknown => {
      try {
        return injectIntoSerialized(system, output, activeCarrier());
      } catch (error) {
        globalErrorHandler(error as Error);
        return output;
      }
    };
    return isThenable(serialized) ? Promise.resolve(serialized).then(inject) : inject(serialized);
  };
  client.serializer = wrapped;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
