import { wrapMethod } from '../decorators/method-wrapper';
import type { SpanDecoratorOptions } from './span-options';
import { traceMethod } from './traced-method';

/**
 * Runs the decorated method inside a new active span, a child of whatever span is active at the call.
 *
 * The span is named `Class.method` unless a name is given, and ends when the method's work ends:
 * on return for a synchronous method, on settlement for any returned promise or thenable (`async`
 * or not), on complete, error or unsubscribe for a returned RxJS Observable. A thrown or rejected
 * error is recorded as an exception event with ERROR status and rethrown unchanged. Nest metadata on
 * the method (`@Get()`, guards, pipes, `@OnEvent()`, Swagger…) is kept.
 *
 * @param name - the span's name; by default `Class.method`
 * @example
 * class Orders { @Span('orders.place', { attributes: (id: string) => ({ 'order.id': id }) }) place(id: string) {} }
 */
export function Span(name?: string, options: SpanDecoratorOptions = {}): MethodDecorator {
  return (target, propertyKey, descriptor: PropertyDescriptor) => {
    wrapMethod('@Span()', target, propertyKey, descriptor, (method, site) =>
      traceMethod(method, name ?? site.qualifiedName, options),
    );
  };
}
