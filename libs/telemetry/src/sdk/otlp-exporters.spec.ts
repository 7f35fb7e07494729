import { OTLPLogExporter as OtlpGrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as OtlpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as OtlpGrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as OtlpJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OtlpProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as OtlpGrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { captureDiagnostics, type CapturedDiagnostics } from '../spec-support/captured-diagnostics';
import { inEnv } from '../spec-support/with-env';
import { SUPPORTED_OTLP_PROTOCOLS } from './env';
import { createOtlpLogRecordExporter, createOtlpMetricExporter, createOtlpSpanExporter } from './otlp-exporters';

const BAD_ENDPOINTS = {
  OTEL_EXPORTER_OTLP_ENDPOINT: 'not-a-url',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not-a-url',
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'not-a-url',
  OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'not-a-url',
};

/** Every OTLP exporter, one per signal over `protocol`, shut down again. */
async function createAll(protocol: (typeof SUPPORTED_OTLP_PROTOCOLS)[number]): Promise<string[]> {
  const exporters = [
    createOtlpSpanExporter(protocol),
    createOtlpMetricExporter(protocol),
    createOtlpLogRecordExporter(protocol),
  ];
  await Promise.all(exporters.map((exporter) => exporter.shutdown()));
  return exporters.map((exporter) => exporter.constructor.name);
}

describe('OTLP exporters', () => {
  let diagnostics: CapturedDiagnostics;
  beforeEach(() => (diagnostics = captureDiagnostics()));
  afterEach(() => diagnostics.restore());

  it('are one table: the exporter of each signal for each protocol, the environment’s protocol by default', async () => {
    const built = await Promise.all(SUPPORTED_OTLP_PROTOCOLS.map((protocol) => inEnv({}, () => createAll(protocol))));
    expect(built).toEqual([
      ['OtlpProtoSpanExporter', OtlpProtoMetricExporter.name, OtlpProtoLogExporter.name],
      [OtlpJsonTraceExporter.name, OtlpJsonMetricExporter.name, OtlpJsonLogExporter.name],
      [OtlpGrpcTraceExporter.name, OtlpGrpcMetricExporter.name, OtlpGrpcLogExporter.name],
    ]);
    const fromEnv = inEnv({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' }, () => createOtlpSpanExporter());
    expect(fromEnv).toBeInstanceOf(OtlpGrpcTraceExporter);
    await fromEnv.shutdown();
    // Each class name is shared by the three transports: the instances tell them apart.
    expect(inEnv({}, () => createOtlpSpanExporter('http/json'))).toBeInstanceOf(OtlpJsonTraceExporter);
    expect(inEnv({}, () => createOtlpMetricExporter('http/protobuf'))).toBeInstanceOf(OtlpProtoMetricExporter);
    expect(inEnv({}, () => createOtlpLogRecordExporter('grpc'))).toBeInstanceOf(OtlpGrpcLogExporter);
    expect(diagnostics.warnings).toEqual([]);
  });

  it.each(['http/protobuf', 'http/json'] as const)(
    'over %s, write one line per bad endpoint variable, and none of the SDK’s “falling back to undefined”',
    async (protocol) => {
      await inEnv(BAD_ENDPOINTS, () => createAll(protocol));
      expect(diagnostics.warnings.map((line) => line.slice(0, line.indexOf('='))).sort()).toEqual(
        Object.keys(BAD_ENDPOINTS).sort(),
      );
      expect(diagnostics.warnings.join('\n')).not.toContain('falling back');
    },
  );

  it('would otherwise get the SDK’s lines, which name no variable: two for one exporter', () => {
    inEnv(BAD_ENDPOINTS, () => void new OtlpProtoTraceExporter().shutdown());
    // One for the traces endpoint, one for the shared endpoint it falls back to.
    expect(diagnostics.warnings).toEqual(
      Array(2).fill(
        "Configuration: Could not parse environment-provided export URL: 'not-a-url', falling back to undefined",
      ),
    );
  });
});
