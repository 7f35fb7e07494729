import { OTLPTraceExporter as OtlpGrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  ConsoleSpanExporter,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { readBatchLimits } from './batch-limits';
import { BoundedBatchSpanProcessor } from './bounded-batch-span-processor';
import { type Env, hasOtlpEndpoint, readExporterNames, readOtlpProtocol } from './env';
import { ExportLedger } from './export-ledger';

export const SUPPORTED_TRACES_EXPORTERS = ['otlp', 'console', 'none'] as const;

/**
 * The exporters named by `OTEL_TRACES_EXPORTER`.
 *
 * Unlike the SDK's own default (`otlp`), an unset variable means `otlp` only when an OTLP endpoint
 * is configured and `none` otherwise, so that a developer without a collector sees no export errors.
 */
export function resolveTracesExporters(env: Env): string[] {
  const fallback = hasOtlpEndpoint(env, 'TRACES') ? 'otlp' : 'none';
  return readExporterNames(env, 'OTEL_TRACES_EXPORTER', SUPPORTED_TRACES_EXPORTERS, fallback);
}

function createOtlpExporter(env: Env): SpanExporter {
  switch (readOtlpProtocol(env, 'TRACES')) {
    case 'http/json':
      return new OtlpJsonTraceExporter();
    case 'grpc':
      return new OtlpGrpcTraceExporter();
    default:
      return new OtlpProtoTraceExporter();
  }
}

/** The span processors the environment asks for, and the account of what batched export loses. */
export interface SpanExport {
  processors: SpanProcessor[];
  /** Present when spans are batched for OTLP: counts and reports the spans that could not be exported. */
  ledger?: ExportLedger;
}

/**
 * Span processors for the exporters the environment asks for: batched OTLP (bounded by `OTEL_BSP_*`,
 * every lost span counted; see `BoundedBatchSpanProcessor`), console spans printed as each one ends
 * (like the Python getting-started), or none.
 *
 * With `none` a no-op processor is still returned, so that spans keep real trace ids for log
 * correlation and context propagation even when nothing is exported.
 */
export function createSpanExport(env: Env): SpanExport {
  let ledger: ExportLedger | undefined;
  const processors = resolveTracesExporters(env).flatMap((name): SpanProcessor[] => {
    switch (name) {
      case 'otlp': {
        const limits = readBatchLimits(env);
        ledger = new ExportLedger({
          items: 'spans',
          maxQueueSize: limits.maxQueueSize,
          queueSizeVariable: 'OTEL_BSP_MAX_QUEUE_SIZE',
        });
        return [new BoundedBatchSpanProcessor(createOtlpExporter(env), limits, ledger)];
      }
      case 'console':
        return [new SimpleSpanProcessor(new ConsoleSpanExporter())];
      default:
        return [];
    }
  });
  return { processors: processors.length > 0 ? processors : [new NoopSpanProcessor()], ledger };
}
