import { diag, type DiagLogger, DiagLogLevel } from '@opentelemetry/api';
import { NoopSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BoundedBatchSpanProcessor } from './bounded-batch-span-processor';
import { readOtlpProtocol } from './env';
import { createSpanExport, resolveTracesExporters } from './span-processors';

describe('trace exporter selection', () => {
  let warnings: string[];

  beforeEach(() => {
    warnings = [];
    const logger = { warn: (message: string) => warnings.push(message) } as unknown as DiagLogger;
    diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  });
  afterEach(() => diag.disable());

  it('exports nothing when nothing is configured, so no collector means no export errors', () => {
    expect(resolveTracesExporters({})).toEqual(['none']);
  });

  it.each(['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'])(
    'exports OTLP when %s is set',
    (name) => {
      expect(resolveTracesExporters({ [name]: 'http://127.0.0.1:4318' })).toEqual(['otlp']);
    },
  );

  it('follows OTEL_TRACES_EXPORTER, case and spaces aside, without repeats', () => {
    expect(resolveTracesExporters({ OTEL_TRACES_EXPORTER: ' Console , otlp,console' })).toEqual(['console', 'otlp']);
    expect(warnings).toEqual([]);
  });

  it('drops unknown exporters with one warning naming the variable, the value and the supported ones', () => {
    expect(resolveTracesExporters({ OTEL_TRACES_EXPORTER: 'jaeger,console' })).toEqual(['console']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('OTEL_TRACES_EXPORTER="jaeger,console"');
    expect(warnings[0]).toContain('supported: otlp, console, none');
  });

  it('falls back to none when every name is unknown', () => {
    expect(resolveTracesExporters({ OTEL_TRACES_EXPORTER: 'bogus' })).toEqual(['none']);
    expect(warnings).toHaveLength(1);
  });

  it('reads the OTLP protocol, the traces-specific variable first', () => {
    expect(readOtlpProtocol({}, 'TRACES')).toBe('http/protobuf');
    expect(readOtlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, 'TRACES')).toBe('http/json');
    expect(
      readOtlpProtocol(
        { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' },
        'TRACES',
      ),
    ).toBe('grpc');
  });

  it('falls back to http/protobuf for an unknown protocol, with one warning', () => {
    expect(readOtlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon' }, 'TRACES')).toBe('http/protobuf');
    expect(warnings).toEqual([expect.stringContaining('OTEL_EXPORTER_OTLP_PROTOCOL="carrier-pigeon"')]);
  });

  it('batches OTLP with an account of lost spans, prints console spans as they end, and keeps a no-op processor for none', async () => {
    const { processors, ledger } = createSpanExport({
      OTEL_TRACES_EXPORTER: 'otlp,console',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    expect(processors.map((processor) => processor.constructor)).toEqual([
      BoundedBatchSpanProcessor,
      SimpleSpanProcessor,
    ]);
    expect(ledger?.lost).toEqual({ queue_full: 0, export_failed: 0 });
    const none = createSpanExport({ OTEL_TRACES_EXPORTER: 'none' });
    expect(none.processors.map((processor) => processor.constructor)).toEqual([NoopSpanProcessor]);
    expect(none.ledger).toBeUndefined();
    await Promise.all(processors.map((processor) => processor.shutdown()));
  });
});
