import { getNumberFromEnv } from '@opentelemetry/core';
import { OTLPMetricExporter as OtlpGrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as OtlpJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OtlpProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import {
  ConsoleMetricExporter,
  type IMetricReader,
  type PushMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { readExporterNames, readOtlpProtocol } from './env';

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
  const exportIntervalMillis = positive(getNumberFromEnv('OTEL_METRIC_EXPORT_INTERVAL')) ?? DEFAULT_INTERVAL_MS;
  const timeout = positive(getNumberFromEnv('OTEL_METRIC_EXPORT_TIMEOUT')) ?? DEFAULT_TIMEOUT_MS;
  // The reader refuses a timeout longer than the interval; a short interval alone is a reasonable setting.
  return new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis,
    exportTimeoutMillis: Math.min(timeout, exportIntervalMillis),
  });
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && value > 0 ? value : undefined;
}

/** The OTLP metric exporter for `OTEL_EXPORTER_OTLP_METRICS_PROTOCOL` (else `OTEL_EXPORTER_OTLP_PROTOCOL`). */
function createOtlpMetricExporter(): PushMetricExporter {
  switch (readOtlpProtocol('METRICS')) {
    case 'http/json':
      return new OtlpJsonMetricExporter();
    case 'grpc':
      return new OtlpGrpcMetricExporter();
    default:
      return new OtlpProtoMetricExporter();
  }
}
