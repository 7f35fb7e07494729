import { OTLPLogExporter as OtlpProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as OtlpGrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { captureDiagnostics, type CapturedDiagnostics } from '../spec-support/captured-diagnostics';
import { createLogRecordExporter, createPushMetricExporter, createSpanExporter } from './config-file-exporters';
import { ConsoleJsonMetricExporter } from './console-metric-exporter';
import { ConsoleJsonSpanExporter } from './console-span-exporter';

describe('a configuration file’s exporters', () => {
  let diagnostics: CapturedDiagnostics;
  beforeEach(() => (diagnostics = captureDiagnostics()));
  afterEach(() => diagnostics.restore());

  it('print console spans and metrics as the environment’s console does: JSON documents', async () => {
    const spans = createSpanExporter({ console: {} }, '/tracer_provider/processors/0/simple/exporter');
    const metrics = createPushMetricExporter({ console: {} }, '/meter_provider/readers/0/periodic/exporter');
    expect(spans).toBeInstanceOf(ConsoleJsonSpanExporter);
    expect(metrics).toBeInstanceOf(ConsoleJsonMetricExporter);
    await Promise.all([spans.shutdown(), metrics.shutdown()]);
  });

  it('take their OTLP exporters from the one table, by encoding or gRPC', async () => {
    const path = '/x/exporter';
    const exporters = [
      createSpanExporter({ otlp_http: { endpoint: 'http://127.0.0.1:4318/v1/traces', encoding: 'json' } }, path),
      createPushMetricExporter({ otlp_grpc: { endpoint: 'http://127.0.0.1:4317' } }, path),
      createLogRecordExporter({ otlp_http: { endpoint: 'http://127.0.0.1:4318/v1/logs' } }, path),
    ];
    expect(exporters.map((exporter) => exporter.constructor)).toEqual([
      OtlpJsonTraceExporter,
      OtlpGrpcMetricExporter,
      OtlpProtoLogExporter,
    ]);
    await Promise.all(exporters.map((exporter) => exporter.shutdown()));
    expect(diagnostics.warnings).toEqual([]);
  });
});
