import type { Attributes, SpanOptions } from '@opentelemetry/api';

/** Options of `@Span()`: OpenTelemetry's `SpanOptions`, with attributes also computable from the call. */
export interface SpanDecoratorOptions extends Omit<SpanOptions, 'attributes'> {
  /**
   * Attributes of the span: fixed, or computed from the call's arguments (and `this`). A function that
   * throws costs the span its computed attributes, never the call.
   * @default {} (none)
   * @example
   * { attributes: (orderId: string) => ({ 'order.id': orderId }) }
   */
  // `never[]`: any function of the method's own parameter types fits.
  attributes?: Attributes | ((this: unknown, ...args: never[]) => Attributes);
}
