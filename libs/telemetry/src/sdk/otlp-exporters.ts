import { OTLPLogExporter as OtlpGrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as OtlpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as OtlpGrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import {
  OTLPMetricExporter as OtlpJsonMetricExporter,
  type OTLPMetricExporterOptions,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OtlpProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as OtlpGrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { checkOtlpEndpoints, type OtlpProtocol, readOtlpProtocol } from './env';

/**
 * The OTLP exporter of each signal for each wire protocol, in one table for every place that builds one:
 * the exporters the environment chooses (`OTEL_TRACES_EXPORTER`, `OTEL_METRICS_EXPORTER`) and those a
 * configuration file declares (`otlp_http` with its encoding, `otlp_grpc`).
 */

type HttpOptions = NonNullable<ConstructorParameters<typeof OtlpProtoTraceExporter>[0]>;
type GrpcOptions = NonNullable<ConstructorParameters<typeof OtlpGrpcTraceExporter>[0]>;

/** The options of either transport: each exporter reads its own (`httpAgentOptions` or `credentials`, …). */
export type OtlpExporterOptions = HttpOptions & GrpcOptions;

type Exporters<Exporter, Options> = Record<OtlpProtocol, new (options?: Options) => Exporter>;

const OTLP_EXPORTERS: {
  TRACES: Exporters<SpanExporter, OtlpExporterOptions>;
  METRICS: Exporters<PushMetricExporter, OtlpExporterOptions & OTLPMetricExporterOptions>;
  LOGS: Exporters<LogRecordExporter, OtlpExporterOptions>;
} = {
  TRACES: { 'http/protobuf': OtlpProtoTraceExporter, 'http/json': OtlpJsonTraceExporter, grpc: OtlpGrpcTraceExporter },
  METRICS: {
    'http/protobuf': OtlpProtoMetricExporter,
    'http/json': OtlpJsonMetricExporter,
    grpc: OtlpGrpcMetricExporter,
  },
  LOGS: { 'http/protobuf': OtlpProtoLogExporter, 'http/json': OtlpJsonLogExporter, grpc: OtlpGrpcLogExporter },
};

// Each exporter also reads the OTLP variables itself: their endpoints are checked first, so that a bad
// one is our single warning rather than the SDK's, once per exporter.

/** The OTLP span exporter for `protocol` (else `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, `…_PROTOCOL`). */
export function createOtlpSpanExporter(
  protocol: OtlpProtocol = readOtlpProtocol('TRACES'),
  options: OtlpExporterOptions = {},
): SpanExporter {
  checkOtlpEndpoints();
  return new OTLP_EXPORTERS.TRACES[protocol](options);
}

/** The OTLP metric exporter for `protocol` (else `OTEL_EXPORTER_OTLP_METRICS_PROTOCOL`, `…_PROTOCOL`). */
export function createOtlpMetricExporter(
  protocol: OtlpProtocol = readOtlpProtocol('METRICS'),
  options: OtlpExporterOptions & OTLPMetricExporterOptions = {},
): PushMetricExporter {
  checkOtlpEndpoints();
  return new OTLP_EXPORTERS.METRICS[protocol](options);
}

/** The OTLP log record exporter for `protocol` (else `OTEL_EXPORTER_OTLP_LOGS_PROTOCOL`, `…_PROTOCOL`). */
export function createOtlpLogRecordExporter(
  protocol: OtlpProtocol = readOtlpProtocol('LOGS'),
  options: OtlpExporterOptions = {},
): LogRecordExporter {
  checkOtlpEndpoints();
  return new OTLP_EXPORTERS.LOGS[protocol](options);
}
