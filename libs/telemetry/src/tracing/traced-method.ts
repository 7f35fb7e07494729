import { type Attributes, context, diag, type Span, type SpanOptions, SpanStatusCode, trace } from '@opentelemetry/api';
import type { AnyMethod } from '../decorators/method-wrapper';
import { whenSettled } from '../decorators/when-settled';
import { LIBRARY_SCOPE } from '../telemetry.constants';
import type { SpanDecoratorOptions } from './span-options';

/** Marks functions that already run in a span of their own, so that `@Traced()` does not wrap them twice. */
export const TRACED_METHOD = Symbol('obs.telemetry.traced-method');

/**
 * `method` made to run in a new active span named `spanName`, ended when its work ends (see
 * `whenSettled`), with failures recorded as an exception event and ERROR status.
 */
export function traceMethod(method: AnyMethod, spanName: string, options: SpanDecoratorOptions = {}): AnyMethod {
  const { attributes, ...spanOptions } = options;
  // Made once when the attributes are fixed: only computed attributes need a copy per call.
  const fixedOptions: SpanOptions | undefined =
    typeof attributes === 'function' ? undefined : { ...spanOptions, attributes };
  const traced: AnyMethod = function (this: unknown, ...args: unknown[]): unknown {
    // Looked up per call, not cached: a tracer taken before the SDK (re)starts would stay a no-op.
    const tracer = trace.getTracer(LIBRARY_SCOPE);
    const startOptions = fixedOptions ?? {
      ...spanOptions,
      attributes: resolveAttributes(attributes, this, args, spanName),
    };
    return tracer.startActiveSpan(spanName, startOptions, (span) => {
      const spanContext = context.active();
      return whenSettled(
        () => method.apply(this, args),
        (error) => endSpan(span, error),
        (fn) => context.with(spanContext, fn),
      );
    });
  };
  Object.defineProperty(traced, TRACED_METHOD, { value: true });
  return traced;
}

function resolveAttributes(
  attributes: SpanDecoratorOptions['attributes'],
  self: unknown,
  args: unknown[],
  spanName: string,
): Attributes | undefined {
  if (typeof attributes !== 'function') return attributes;
  try {
    return attributes.apply(self, args as never[]);
  } catch (error) {
    diag.warn(`@Span() attributes of ${spanName} could not be computed: ${String(error)}`);
    return undefined;
  }
}

function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}
