import { createParamDecorator } from '@nestjs/common';
import { trace } from '@opentelemetry/api';

/**
 * Injects the span active when the handler is called (the request's SERVER span for an HTTP handler),
 * or `undefined` when there is none.
 *
 * @example
 * class Orders { find(@CurrentSpan() span?: Span) { span?.setAttribute('order.lookup', 'by-id'); } }
 */
export const CurrentSpan = createParamDecorator(() => trace.getActiveSpan());
