import { TELEMETRY_SCOPE } from '../telemetry.constants';
import { lazyInstrument } from './lazy-instruments';
import { measureMethod, type MethodMetricOptions } from './method-metrics';

/** Buckets in seconds, from 5 ms to 10 s: the HTTP semantic conventions' advice, fit for method calls too. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/**
 * Times each call of the method, until its work ends, in a histogram in seconds
 * (`method_duration_seconds` on `/metrics`), labelled with `code.function.name` and, for failed calls,
 * `error.type`. Its `_count` also counts the calls.
 */
export function Timed(options: MethodMetricOptions = {}): MethodDecorator {
  return measureMethod('@Timed()', options, () => {
    const histogram = lazyInstrument(TELEMETRY_SCOPE, 'histogram', options.name ?? 'method.duration', {
      description: options.description ?? 'Duration of methods decorated with @Timed()',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    return (elapsedSeconds, attributes) => histogram.record(elapsedSeconds, attributes);
  });
}
