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
import type { OTLPTraceExporter as OtlpProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { TraceExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { checkOtlpEndpoints, type OtlpProtocol, readOtlpProtocol } from './env';
import { protobufSpanSerializer } from './protobuf-span-serializer';

/**
 * The OTLP exporter of each signal for each wire protocol, in one table for every place that builds one:
 * the exporters the environment chooses (`OTEL_TRACES_EXPORTER`, `OTEL_METRICS_EXPORTER`) and those a
 * configuration file declares (`otlp_http` with its encoding, `otlp_grpc`).
 */

type HttpOptions = NonNullable<ConstructorParameters<typeof OtlpProtoTraceExporter>[0]>;
type GrpcOptions = NonNullable<ConstructorParameters<typeof OtlpGrpcTraceExporter>[0]>;

/** The options of either transport: each exporter reads its own (`httpAgentOptions` or `credentials`, …). */
export type OtlpExporterOptions = HttpOptions & GrpcOptions;

/**
 * `@opentelemetry/exporter-trace-otlp-proto`'s exporter, assembled as that package assembles it (the same
 * options, transport, retries, headers and self-observability metrics), with the span serializer of
 * protobuf-span-serializer.ts: the same bytes, for less work per span.
 */
class OtlpProtoSpanExporter extends OTLPExporterBase<ReadableSpan[]> implements SpanExporter {
  constructor(options: HttpOptions = {}) {
    super(
      createOtlpHttpExportDelegate(
        convertLegacyHttpOptions(options, 'TRACES', 'v1/traces', { 'Content-Type': 'application/x-protobuf' }),
        protobufSpanSerializer,
        'otlp_http_span_exporter',
        TraceExporterMetricsHelper,
        options.selfObsMeterProvider,
      ),
    );
  }
}

type Exporters<Exporter, Options> = Record<OtlpProtocol, new (options?: Options) => Exporter>;

const OTLP_EXPORTERS: {
  TRACES: Exporters<SpanExporter, OtlpExporterOptions>;
  METRICS: Exporters<PushMetricExporter, OtlpExporterOptions & OTLPMetricExporterOptions>;
  LOGS: Exporters<LogRecordExporter, OtlpExporterOptions>;
} = {
  TRACES: { 'http/protobuf': OtlpProtoSpanExporter, 'http/json': OtlpJsonTraceExporter, grpc: OtlpGrpcTraceExporter },
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
