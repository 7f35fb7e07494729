import { context, ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { type AnyMethod, wrapMethod } from '../decorators/method-wrapper';
import { whenSettled } from '../decorators/when-settled';
import { traceMethod } from '../tracing/traced-method';
import type { HandlerKinds } from './handler-kinds';
import { recordHandlerError } from './messaging-spans';

// Metadata keys of @nestjs/schedule, @nestjs/event-emitter and @nestjs/microservices, read as strings: the
// library imports none of them, so an app without them loads nothing of them.
const SCHEDULER_TYPE = 'SCHEDULER_TYPE';
const SCHEDULER_NAME = 'SCHEDULER_NAME';
const SCHEDULE_CRON_OPTIONS = 'SCHEDULE_CRON_OPTIONS';
const EVENT_LISTENER_METADATA = 'EVENT_LISTENER_METADATA';
const PATTERN_METADATA = 'microservices:pattern';

/** Marks methods wrapped here, so that a class reached twice (two modules) is wrapped once. */
const HANDLER_WRAPPED = Symbol('obs.telemetry.nest-handler');

/** A class Nest knows (provider or controller). */
export type DiscoveredClass = abstract new (...args: never[]) => unknown;

/**
 * Wraps, on the prototype, the methods of `type` that Nest calls by itself, keeping their metadata (the
 * scheduler, the event emitter and the microservice listener read it from the method):
 * - `@Cron()`, `@Interval()`, `@Timeout()`: each run a root span of a trace of its own, named after the job
 *   (its `name`, else `Class.method`);
 * - `@OnEvent()`: a span named after the event (`Class.method` for a wildcard, symbol or array), a child of
 *   the span active where the event was emitted;
 * - `@MessagePattern()`, `@EventPattern()`: the handler's failure recorded on the CONSUMER span it runs in
 *   (`error.type`; the span itself is the server's, see `traceServer`).
 * Done when the module is instantiated: before the scheduler and the listeners read the methods.
 */
export function traceNestHandlers(type: DiscoveredClass, kinds: HandlerKinds): void {
  const prototype = type.prototype as object | undefined;
  if (prototype === undefined || prototype === null) return;
  for (const [owner, key] of ownedMethods(prototype)) {
    // The descriptor, not `owner[key]`: a getter of the prototype must not run.
    const descriptor = Object.getOwnPropertyDescriptor(owner, key);
    const method: unknown = descriptor?.value;
    if (descriptor === undefined || typeof method !== 'function') continue;
    if ((method as unknown as Record<symbol, unknown>)[HANDLER_WRAPPED]) continue;
    const wrap = wrapperFor(method, kinds);
    if (wrap === undefined) continue;
    // Wrapped where it is defined: a handler inherited from a base class is the base class's method.
    wrapMethod('@obs/telemetry', owner, key, descriptor, (original, site) => {
      const wrapped = wrap(original, site.qualifiedName);
      Object.defineProperty(wrapped, HANDLER_WRAPPED, { value: true });
      return wrapped;
    });
    Object.defineProperty(owner, key, descriptor);
  }
}

type Wrap = (original: AnyMethod, qualifiedName: string) => AnyMethod;

function wrapperFor(method: object, kinds: HandlerKinds): Wrap | undefined {
  if (Reflect.getMetadata(SCHEDULER_TYPE, method) !== undefined) return kinds.schedule ? jobWrapper(method) : undefined;
  const events = Reflect.getMetadata(EVENT_LISTENER_METADATA, method) as Array<{ event?: unknown }> | undefined;
  if (events !== undefined) return kinds.events ? eventWrapper(events) : undefined;
  if (Reflect.getMetadata(PATTERN_METADATA, method) !== undefined && kinds.messaging) return messageHandlerWrapper;
  return undefined;
}

function jobWrapper(method: object): Wrap {
  const cronName = (Reflect.getMetadata(SCHEDULE_CRON_OPTIONS, method) as { name?: unknown } | undefined)?.name;
  const name: unknown = Reflect.getMetadata(SCHEDULER_NAME, method) ?? cronName;
  return (original, qualifiedName) => {
    const spanName = typeof name === 'string' && name !== '' ? name : qualifiedName;
    const traced = traceMethod(original, spanName, {
      root: true,
      kind: SpanKind.INTERNAL,
      attributes: { 'code.function.name': qualifiedName },
    });
    return function (this: unknown, ...args: unknown[]) {
      return context.with(ROOT_CONTEXT, () => traced.apply(this, args));
    };
  };
}

function eventWrapper(events: Array<{ event?: unknown }>): Wrap {
  const event = events.length === 1 ? events[0]?.event : undefined;
  return (original, qualifiedName) => {
    const named = typeof event === 'string' && !event.includes('*');
    return traceMethod(original, named ? event : qualifiedName, {
      attributes: { 'code.function.name': qualifiedName, ...(named ? { 'event.name': event } : {}) },
    });
  };
}

const messageHandlerWrapper: Wrap = (original) =>
  function (this: unknown, ...args: unknown[]) {
    return whenSettled(
      () => original.apply(this, args),
      (error) => {
        if (error !== undefined) recordHandlerError(error);
      },
    );
  };

/** Each method name of the prototype chain (below `Object.prototype`) with the prototype that defines it. */
function ownedMethods(prototype: object): Array<[object, string | symbol]> {
  const found = new Map<string | symbol, object>();
  for (let current: object | null = prototype; current !== null && current !== Object.prototype;) {
    for (const key of Reflect.ownKeys(current)) {
      if (key !== 'constructor' && !found.has(key)) found.set(key, current);
    }
    current = Object.getPrototypeOf(current) as object | null;
  }
  return [...found].map(([key, owner]) => [owner, key]);
}
