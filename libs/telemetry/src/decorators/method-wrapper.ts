import { isTelemetryDisabled } from '../state/started-telemetry';

/** A method of any shape, as a decorator sees it. */
export type AnyMethod = (this: unknown, ...args: unknown[]) => unknown;

/** What a method decorator needs to know about the method it wraps. */
export interface MethodSite {
  /** `Class.method`, the name spans and `code.function.name` use. */
  qualifiedName: string;
  className: string;
  methodName: string;
}

/**
 * Replaces the method in `descriptor` by `wrap(original)`, keeping everything Nest and its ecosystem
 * read from the method: decorators applied before this one (listed below it) stored their
 * `reflect-metadata` on the original function, and Nest's router, guards, pipes, `@OnEvent()`,
 * schedulers and Swagger read it from whatever function is on the prototype.
 *
 * With telemetry started disabled, the method is left as it is: disabled means no cost per call.
 */
export function wrapMethod(
  decorator: string,
  target: object,
  propertyKey: string | symbol,
  descriptor: PropertyDescriptor,
  wrap: (original: AnyMethod, site: MethodSite) => AnyMethod,
): void {
  const original: unknown = descriptor.value;
  if (typeof original !== 'function') {
    throw new TypeError(`${decorator} decorates methods only; ${String(propertyKey)} is not a method`);
  }
  if (isTelemetryDisabled()) return;
  const className = typeof target === 'function' ? target.name : target.constructor.name;
  const methodName = String(propertyKey);
  const wrapper = wrap(original as AnyMethod, { className, methodName, qualifiedName: `${className}.${methodName}` });
  copyMetadata(original, wrapper);
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  descriptor.value = wrapper;
}

function copyMetadata(from: object, to: object): void {
  for (const key of Reflect.getMetadataKeys(from)) {
    Reflect.defineMetadata(key, Reflect.getMetadata(key, from), to);
  }
}
