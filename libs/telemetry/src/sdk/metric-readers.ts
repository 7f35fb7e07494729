import { OTLPMetricExporter as OtlpGrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as OtlpJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OtlpProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import {
  ConsoleMetricExporter,
  type IMetricReader,
  type PushMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { MAX_INT32, readEnvNumber, readEnvOr, readExporterNames, readOtlpProtocol } from './env';

export const SUPPORTED_METRICS_EXPORTERS = ['prometheus', 'otlp', 'console', 'none'] as const;
export type MetricsExporterName = (typeof SUPPORTED_METRICS_EXPORTERS)[number];

/** The specification's defaults for `OTEL_METRIC_EXPORT_INTERVAL` and `OTEL_METRIC_EXPORT_TIMEOUT`. */
const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The exporters `OTEL_METRICS_EXPORTER` names (a list): `prometheus` (the default: `/metrics`, pulled),
 * `otlp` and `console` (pushed every `OTEL_METRIC_EXPORT_INTERVAL`), or `none`.
 */
export function readMetricsExporters(): MetricsExporterName[] {
  return readExporterNames('OTEL_METRICS_EXPORTER', SUPPORTED_METRICS_EXPORTERS, 'prometheus');
}

/** A periodic reader per pushed exporter among `names`; `prometheus` is the exposition's own reader. */
export function createPushMetricReaders(names: MetricsExporterName[]): IMetricReader[] {
  return names.flatMap((name) => {
    if (name === 'otlp') return [periodicReader(createOtlpMetricExporter())];
    if (name === 'console') return [periodicReader(new ConsoleMetricExporter())];
    return [];
  });
}

function periodicReader(exporter: PushMetricExporter): PeriodicExportingMetricReader {
  const read = (name: string, fallback: number): number =>
    readEnvOr(
      () => readEnvNumber(name, { min: 1, max: MAX_INT32, noun: 'a duration in milliseconds' }) ?? fallback,
      fallback,
      `using ${fallback}`,
    );
  const exportIntervalMillis = read('OTEL_METRIC_EXPORT_INTERVAL', DEFAULT_INTERVAL_MS);
  // The reader refuses a timeout longer than the interval; a short interval alone is a reasonable setting.
  const exportTimeoutMillis = Math.min(read('OTEL_METRIC_EXPORT_TIMEOUT', DEFAULT_TIMEOUT_MS), exportIntervalMillis);
  return new PeriodicExportingMetricReader({ exporter, exportIntervalMillis, exportTimeoutMillis });
}

const OTLP_METRIC_EXPORTERS = {
  'http/protobuf': OtlpProtoMetricExporter,
  'http/json': OtlpJsonMetricExporter,
  grpc: OtlpGrpcMetricExporter,
};

/** The OTLP metric exporter for `OTEL_EXPORTER_OTLP_METRICS_PROTOCOL` (else `OTEL_EXPORTER_OTLP_PROTOCOL`). */
function createOtlpMetricExporter(): PushMetricExporter {
  return new OTLP_METRIC_EXPORTERS[readOtlpProtocol('METRICS')]();
}
