import {
  type Attributes,
  type Context,
  context as contextApi,
  type Counter,
  type Gauge,
  type Histogram,
  type Meter,
  type MeterProvider,
  type MetricOptions,
  metrics,
  trace,
  type SpanContext,
  type UpDownCounter,
} from '@opentelemetry/api';
import { counterExemplars, histogramExemplars, type InstrumentExemplars } from './exemplars';
import { InstrumentRegistry } from './instrument-registry';
import { activeMetricStore, type MetricStore, type StoredCounter, type StoredHistogram } from './metric-store';

type SyncInstrument = Counter | UpDownCounter | Histogram | Gauge;
export type InstrumentKind = 'counter' | 'upDownCounter' | 'histogram' | 'gauge';

/**
 * An instrument bound to whichever meter provider is global when it records, not when it was made:
 * an instrument made before the SDK started (at import time, in a decorator) is not a no-op forever,
 * and one made before an SDK restart (tests) records into the new SDK.
 *
 * Counters and histograms also keep exemplars per series (`exemplars`): the sampled span of their latest
 * measurement (per bucket for a histogram), from the context given, else the active one. While the
 * started telemetry aggregates them itself (`activeMetricStore()`), they record there instead, exemplars
 * included, and the SDK never sees them.
 */
class LazyInstrument<Stored> {
  private provider: MeterProvider | undefined;
  private instrument: SyncInstrument | undefined;
  private store: MetricStore | undefined;
  private storedInstrument: Stored | undefined;

  constructor(
    protected readonly scope: string,
    private readonly create: (meter: Meter) => SyncInstrument,
    private readonly exemplars?: InstrumentExemplars,
    private readonly createStored?: (store: MetricStore) => Stored,
  ) {}

  current(): SyncInstrument {
    const provider = metrics.getMeterProvider();
    if (provider !== this.provider || !this.instrument) {
      this.provider = provider;
      this.instrument = this.create(provider.getMeter(this.scope));
    }
    return this.instrument;
  }

  /** The instrument in the active metric store, if there is one and this kind of instrument is kept there. */
  protected stored(): Stored | undefined {
    const store = activeMetricStore();
    if (store !== this.store) {
      this.store = store;
      this.storedInstrument = store && this.createStored?.(store);
    }
    return this.storedInstrument;
  }

  /** Offers a measurement just made to the exemplars, when this instrument keeps them. */
  protected measured(value: number, attributes: Attributes | undefined, context: Context | undefined): void {
    this.exemplars?.offer(value, attributes, spanContextOf(context));
  }
}

function spanContextOf(context: Context | undefined): SpanContext | undefined {
  return trace.getSpanContext(context ?? contextApi.active());
}

class LazyCounter extends LazyInstrument<StoredCounter> implements Counter, UpDownCounter {
  add(value: number, attributes?: Attributes, context?: Context): void {
    const stored = this.stored();
    if (stored) return stored.add(value, attributes, spanContextOf(context));
    (this.current() as Counter).add(value, attributes, context);
    this.measured(value, attributes, context);
  }
}

class LazyRecorder extends LazyInstrument<StoredHistogram> implements Histogram, Gauge {
  record(value: number, attributes?: Attributes, context?: Context): void {
    const stored = this.stored();
    if (stored) return stored.record(value, attributes, spanContextOf(context));
    (this.current() as Histogram).record(value, attributes, context);
    this.measured(value, attributes, context);
  }
}

const registry = new InstrumentRegistry<LazyInstrument<unknown>>();

/**
 * The instrument of that kind and name in that scope, made on first use and the same instance after.
 * Asking for an existing name with another kind is a programming error and throws, naming both.
 */
export function lazyInstrument(scope: string, kind: 'counter', name: string, options?: MetricOptions): Counter;
export function lazyInstrument(
  scope: string,
  kind: 'upDownCounter',
  name: string,
  options?: MetricOptions,
): UpDownCounter;
export function lazyInstrument(scope: string, kind: 'histogram', name: string, options?: MetricOptions): Histogram;
export function lazyInstrument(scope: string, kind: 'gauge', name: string, options?: MetricOptions): Gauge;
export function lazyInstrument(
  scope: string,
  kind: InstrumentKind,
  name: string,
  options?: MetricOptions,
): SyncInstrument {
  const instrument = registry.getOrCreate(`${scope}\u0000${name}`, name, kind, () =>
    makeLazy(scope, kind, name, options),
  );
  return instrument as unknown as SyncInstrument;
}

function makeLazy(scope: string, kind: InstrumentKind, name: string, options?: MetricOptions): LazyInstrument<unknown> {
  switch (kind) {
    case 'counter':
      return new LazyCounter(
        scope,
        (meter) => meter.createCounter(name, options),
        counterExemplars(scope, name),
        (store) => store.counter(scope, name, options),
      );
    case 'upDownCounter':
      return new LazyCounter(scope, (meter) => meter.createUpDownCounter(name, options));
    case 'histogram':
      return new LazyRecorder(
        scope,
        (meter) => meter.createHistogram(name, options),
        histogramExemplars(scope, name, options?.advice?.explicitBucketBoundaries),
        (store) => store.histogram(scope, name, options),
      );
    case 'gauge':
      return new LazyRecorder(scope, (meter) => meter.createGauge(name, options));
  }
}
