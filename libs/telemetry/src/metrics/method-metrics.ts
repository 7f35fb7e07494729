import type { Attributes } from '@opentelemetry/api';
import { ATTR_CODE_FUNCTION_NAME, ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { type MethodSite, wrapMethod } from '../decorators/method-wrapper';
import { whenSettled } from '../decorators/when-settled';

/** Options of `@Counted()` and `@Timed()`. */
export interface MethodMetricOptions {
  /**
   * Instrument name.
   * @default `method.calls` for `@Counted()`, `method.duration` for `@Timed()`
   */
  name?: string;
  /**
   * Instrument description.
   * @default `Calls of methods decorated with @Counted()`, `Duration of methods decorated with @Timed()`
   */
  description?: string;
  /**
   * Added to `code.function.name` (`Class.method`) and, on failure, `error.type`.
   * @default {} (none)
   * @example
   * { attributes: { channel: 'web' } }
   */
  attributes?: Attributes;
}

/** Records one measurement when a call's work ends, with the attributes of its method and outcome. */
export type RecordCall = (elapsedSeconds: number, attributes: Attributes) => void;

/** Wraps a method so that `record` runs once per call, when its work (promise, Observable…) ends. */
export function measureMethod(
  decorator: string,
  options: MethodMetricOptions,
  makeRecorder: () => RecordCall,
): MethodDecorator {
  return (target, propertyKey, descriptor: PropertyDescriptor) => {
    const record = makeRecorder();
    wrapMethod(decorator, target, propertyKey, descriptor, (method, site) => {
      const baseAttributes = methodAttributes(site, options.attributes);
      return function (this: unknown, ...args: unknown[]): unknown {
        const start = performance.now();
        return whenSettled(
          () => method.apply(this, args),
          (error) => record((performance.now() - start) / 1000, withOutcome(baseAttributes, error)),
        );
      };
    });
  };
}

/** Frozen: the same object on every successful call, which the metric store then knows by identity. */
function methodAttributes(site: MethodSite, extra: Attributes = {}): Attributes {
  return Object.freeze({ [ATTR_CODE_FUNCTION_NAME]: site.qualifiedName, ...extra });
}

/** `error.type` as the semantic conventions define it: the error's class, `_OTHER` for non-errors. */
function withOutcome(attributes: Attributes, error: unknown): Attributes {
  if (error === undefined) return attributes;
  const type = error instanceof Error ? error.constructor.name : '_OTHER';
  return { ...attributes, [ATTR_ERROR_TYPE]: type };
}
