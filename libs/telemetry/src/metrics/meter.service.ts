import { Inject, Injectable } from '@nestjs/common';
import {
  type Counter,
  type Gauge,
  type Histogram,
  type Meter,
  type MetricOptions,
  type ObservableCounter,
  type ObservableGauge,
  type ObservableUpDownCounter,
  type UpDownCounter,
} from '@opentelemetry/api';
import { METER, APP_SCOPE } from '../telemetry.constants';
import { InstrumentRegistry } from './instrument-registry';
import { lazyInstrument } from './lazy-instruments';

type Observable = ObservableGauge | ObservableCounter | ObservableUpDownCounter;

/**
 * Instruments by name, in the app's instrumentation scope: the same instance for the same name.
 *
 * Synchronous instruments (counters, up-down counters, histograms, gauges) bind to the real meter
 * when they record, so one obtained before the SDK started still counts. Observable instruments are
 * made from the meter at once and their callbacks run on each collection (each Prometheus scrape).
 *
 * @example
 * this.meters.counter('orders.placed', { description: 'Orders placed' }).add(1, { channel: 'web' });
 */
@Injectable()
export class MeterService {
  private readonly observables = new InstrumentRegistry<Observable>();

  constructor(
    @Inject(APP_SCOPE) private readonly scope: string,
    @Inject(METER) private readonly meter: Meter,
  ) {}

  counter(name: string, options?: MetricOptions): Counter {
    return lazyInstrument(this.scope, 'counter', name, options);
  }

  upDownCounter(name: string, options?: MetricOptions): UpDownCounter {
    return lazyInstrument(this.scope, 'upDownCounter', name, options);
  }

  /** For durations, use seconds (`unit: 's'`): `/metrics` then shows `<name>_seconds`. */
  histogram(name: string, options?: MetricOptions): Histogram {
    return lazyInstrument(this.scope, 'histogram', name, options);
  }

  gauge(name: string, options?: MetricOptions): Gauge {
    return lazyInstrument(this.scope, 'gauge', name, options);
  }

  observableGauge(name: string, options?: MetricOptions): ObservableGauge {
    return this.observable('observableGauge', name, () => this.meter.createObservableGauge(name, options));
  }

  observableCounter(name: string, options?: MetricOptions): ObservableCounter {
    return this.observable('observableCounter', name, () => this.meter.createObservableCounter(name, options));
  }

  observableUpDownCounter(name: string, options?: MetricOptions): ObservableUpDownCounter {
    return this.observable('observableUpDownCounter', name, () =>
      this.meter.createObservableUpDownCounter(name, options),
    );
  }

  private observable<T extends Observable>(kind: string, name: string, create: () => T): T {
    return this.observables.getOrCreate(name, name, kind, create) as T;
  }
}
