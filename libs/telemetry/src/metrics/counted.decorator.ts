import { LIBRARY_SCOPE } from '../telemetry.constants';
import { lazyInstrument } from './lazy-instruments';
import { measureMethod, type MethodMetricOptions } from './method-metrics';

/**
 * Counts calls of the method in a counter (`method_calls_total` on `/metrics`), labelled with
 * `code.function.name` (`Class.method`) and, for calls that threw or rejected, `error.type`.
 *
 * @example
 * class Orders { @Counted({ name: 'orders.placed', description: 'Orders placed' }) place(): void {} }
 */
export function Counted(options: MethodMetricOptions = {}): MethodDecorator {
  return measureMethod('@Counted()', options, () => {
    const counter = lazyInstrument(LIBRARY_SCOPE, 'counter', options.name ?? 'method.calls', {
      description: options.description ?? 'Calls of methods decorated with @Counted()',
    });
    return (_elapsed, attributes) => counter.add(1, attributes);
  });
}
