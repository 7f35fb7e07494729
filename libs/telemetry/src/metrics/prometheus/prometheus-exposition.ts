import { diag } from '@opentelemetry/api';
import { type MetricProducer, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { AppPortMetrics, ScrapeAnswer } from '../../state/started-telemetry';
import { exemplarsOf } from '../exemplars';
import { chooseFormat, CONTENT_TYPES, type ExpositionFormat } from './content-negotiation';
import { collectFamilies, type ExemplarLookup, NO_EXEMPLARS } from './metric-families';
import { writeProtobuf } from './protobuf-format';
import { writeOpenMetrics, writePrometheusText } from './text-formats';

/**
 * A pull reader: the SDK collects (cumulatively, the reader's default) when a scrape asks, and nothing is
 * exported otherwise. A `MetricReader` of our own rather than `@opentelemetry/exporter-prometheus`'s
 * exporter, whose server, serializer and options would all go unused.
 */
class PullMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {
    // Nothing is buffered: each scrape collects afresh.
  }

  protected override async onShutdown(): Promise<void> {
    // Nothing to release.
  }
}

/**
 * The Prometheus exposition of everything the SDK has measured, rendered on demand for a scrape, in the
 * format the scraper negotiates: one walk over the collection into metric families, then the text format
 * 0.0.4, OpenMetrics 1.0.0 (with exemplars) or the protobuf format (with exemplars and native histograms).
 * One piece of code for `/metrics` on the app's port and on a port of its own.
 */
export class PrometheusExposition implements AppPortMetrics {
  readonly reader: MetricReader;

  /** `metricProducers` are read beside the SDK on each scrape (the library's metric store). */
  constructor(
    private readonly exemplars: ExemplarLookup = exemplarsOf,
    metricProducers: MetricProducer[] = [],
  ) {
    this.reader = new PullMetricReader({ metricProducers });
  }

  /** The exposition in `format` (the text format by default). */
  render(format?: 'text' | 'openmetrics'): Promise<string>;
  render(format: 'protobuf'): Promise<Uint8Array>;
  render(format: ExpositionFormat): Promise<string | Uint8Array>;
  async render(format: ExpositionFormat = 'text'): Promise<string | Uint8Array> {
    const { resourceMetrics, errors } = await this.reader.collect();
    if (errors.length > 0) diag.warn(`Some metrics could not be collected: ${errors.map(String).join('; ')}`);
    return serializeExposition(resourceMetrics, format, this.exemplars);
  }

  /**
   * The answer to a scrape: the format of `?format=` if given, else the one the `Accept` header prefers,
   * with its `Content-Type`; a 400 saying which formats exist for an unknown `?format=`.
   */
  async scrape(accept: string | undefined, formatParameter: unknown): Promise<ScrapeAnswer> {
    const choice = chooseFormat(accept, formatParameter);
    if ('error' in choice) return { status: 400, contentType: 'text/plain; charset=utf-8', body: `${choice.error}\n` };
    return { status: 200, contentType: CONTENT_TYPES[choice.format], body: await this.render(choice.format) };
  }
}

/**
 * A collection in `format`: the one walk into metric families, then that format's writer. The text format
 * cannot carry exemplars: it does not look them up.
 */
export function serializeExposition(
  resourceMetrics: ResourceMetrics,
  format: ExpositionFormat,
  exemplars: ExemplarLookup = exemplarsOf,
): string | Uint8Array {
  const families = collectFamilies(resourceMetrics, format === 'text' ? NO_EXEMPLARS : exemplars);
  if (format === 'protobuf') return writeProtobuf(families);
  return format === 'openmetrics' ? writeOpenMetrics(families) : writePrometheusText(families);
}
