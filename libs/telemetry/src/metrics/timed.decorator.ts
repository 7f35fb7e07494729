import { LIBRARY_SCOPE } from '../telemetry.constants';
import { DURATION_BUCKETS_SECONDS } from './duration-buckets';
import { lazyInstrument } from './lazy-instruments';
import { measureMethod, type MethodMetricOptions } from './method-metrics';

/**
 * Times each call of the method, until its work ends, in a histogram in seconds
 * (`method_duration_seconds` on `/metrics`), labelled with `code.function.name` and, for failed calls,
 * `error.type`. Its `_count` also counts the calls.
 *
 * @example
 * class Orders { @Timed({ name: 'orders.place.duration' }) async place(): Promise<void> {} }
 */
export function Timed(options: MethodMetricOptions = {}): MethodDecorator {
  return measureMethod('@Timed()', options, () => {
    const histogram = lazyInstrument(LIBRARY_SCOPE, 'histogram', options.name ?? 'method.duration', {
      description: options.description ?? 'Duration of methods decorated with @Timed()',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS_SECONDS },
    });
    return (elapsedSeconds, attributes) => histogram.record(elapsedSeconds, attributes);
  });
}
