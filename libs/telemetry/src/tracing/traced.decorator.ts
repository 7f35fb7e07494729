import { SetMetadata } from '@nestjs/common';
import { type AnyMethod, wrapMethod } from '../decorators/method-wrapper';
import type { SpanDecoratorOptions } from './span-options';
import { TRACED_METHOD, traceMethod } from './traced-method';

const NO_SPAN = 'obs.telemetry:no-span';

/**
 * A span around each method of the class, named `Class.method`, as `@Span()` would make it: its own
 * prototype methods and static methods, not the constructor, getters or setters, nor methods that
 * already have `@Span()` or are marked `@NoSpan()`. `options` apply to every method's span.
 *
 * @param options - applied to every method's span; by default none
 * @example
 * // on the class: `@Traced()`; on a method to leave out: `@NoSpan()`
 * export class OrdersService { place(): void {} }
 */
export function Traced(options: SpanDecoratorOptions = {}): ClassDecorator {
  return (target) => {
    for (const owner of [target.prototype as object, target]) {
      for (const key of Reflect.ownKeys(owner)) {
        const descriptor = Object.getOwnPropertyDescriptor(owner, key);
        if (descriptor && shouldTrace(key, descriptor)) {
          wrapMethod('@Traced()', owner, key, descriptor, (method, site) =>
            traceMethod(method, site.qualifiedName, options),
          );
          Object.defineProperty(owner, key, descriptor);
        }
      }
    }
  };
}

/**
 * Leaves the method out of its class's `@Traced()`.
 *
 * @example
 * class Orders { @NoSpan() health(): string { return 'ok'; } }
 */
export const NoSpan = (): MethodDecorator => SetMetadata(NO_SPAN, true);

function shouldTrace(key: string | symbol, descriptor: PropertyDescriptor): boolean {
  const method: unknown = descriptor.value;
  return (
    typeof method === 'function' &&
    key !== 'constructor' &&
    !(method as unknown as Record<symbol, unknown>)[TRACED_METHOD] &&
    !Reflect.getMetadata(NO_SPAN, method as AnyMethod)
  );
}
