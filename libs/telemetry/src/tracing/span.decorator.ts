import { type Span as OtelSpan, type SpanOptions, SpanStatusCode, trace } from '@opentelemetry/api';
import { TELEMETRY_SCOPE } from '../telemetry.constants';

/**
 * Runs the decorated method inside a new active span, a child of whatever span is active at the call.
 *
 * The span is named `Class.method` unless a name is given, and ends when the method's work ends:
 * on return for a synchronous method, on settlement for any returned promise or thenable (`async`
 * or not). A thrown or rejected error is recorded as an exception event with ERROR status and
 * rethrown unchanged. Nest metadata on the method (`@Get()`, guards, pipes…) is kept.
 */
export function Span(name?: string, options: SpanOptions = {}): MethodDecorator {
  return (target, propertyKey, descriptor: PropertyDescriptor) => {
    const method: unknown = descriptor.value;
    if (typeof method !== 'function') {
      throw new TypeError(`@Span() decorates methods only; ${String(propertyKey)} is not a method`);
    }
    const spanName = name ?? `${className(target)}.${String(propertyKey)}`;
    const traced = function (this: unknown, ...args: unknown[]): unknown {
      return trace
        .getTracer(TELEMETRY_SCOPE)
        .startActiveSpan(spanName, options, (span) => endWhenSettled(span, () => method.apply(this, args)));
    };
    keepIdentity(method, traced);
    descriptor.value = traced;
  };
}

/** Runs `work` and ends `span` when it is done, synchronously or when its returned promise settles. */
export function endWhenSettled<T>(span: OtelSpan, work: () => T): T {
  let result: T;
  try {
    result = work();
  } catch (error) {
    failSpan(span, error);
    throw error;
  }
  if (!isThenable(result)) {
    span.end();
    return result;
  }
  return result.then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      failSpan(span, error);
      throw error;
    },
  ) as T;
}

function failSpan(span: OtelSpan, error: unknown): void {
  if (error instanceof Error) {
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  } else {
    span.recordException(String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
  }
  span.end();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

function className(target: object): string {
  // Static methods are decorated on the class itself, instance methods on its prototype.
  return typeof target === 'function' ? target.name : target.constructor.name;
}

/**
 * Copies the method's `reflect-metadata` entries and name onto its wrapper: decorators applied
 * before `@Span()` (listed below it) stored their metadata on the original function, and Nest's
 * router, guards, pipes and Swagger read it from whatever function is on the prototype.
 */
function keepIdentity(original: Function, wrapper: Function): void {
  for (const key of Reflect.getMetadataKeys(original)) {
    Reflect.defineMetadata(key, Reflect.getMetadata(key, original), wrapper);
  }
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
}
