import { MeterProvider, type MetricReader } from '@opentelemetry/sdk-metrics';

const COUNTER = 'bench_orders';

/**
 * A meter provider read by `reader` whose one counter has `series` distinct attribute sets. The SDK keeps
 * at most 2000 series per instrument by default and folds the rest into one `otel_metric_overflow`
 * series; a view raises that limit here so that all of them are rendered.
 */
export function createCounterWithSeries(reader: MetricReader, series: number): MeterProvider {
  const provider = new MeterProvider({
    readers: [reader],
    views: [{ instrumentName: COUNTER, aggregationCardinalityLimit: series + 1 }],
  });
  const counter = provider.getMeter('bench').createCounter(COUNTER, { description: 'Orders by customer' });
  for (let i = 0; i < series; i++)
    counter.add(1 + (i % 7), { customer_id: `customer-${i}`, region: `region-${i % 10}` });
  return provider;
}
