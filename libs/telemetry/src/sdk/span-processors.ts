import { diag } from '@opentelemetry/api';
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
import { type Env, hasOtlpEndpoint, readEnv, readEnvList } from './env';
import { ExportLedger } from './export-ledger';

export const SUPPORTED_TRACES_EXPORTERS = ['otlp', 'console', 'none'] as const;
export const SUPPORTED_OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;

/**
 * The exporters named by `OTEL_TRACES_EXPORTER`.
 *
 * Unlike the SDK's own default (`otlp`), an unset variable means `otlp` only when an OTLP endpoint
 * is configured and `none` otherwise, so that a developer without a collector sees no export errors.
 * Unknown names are dropped with one warning that lists the supported ones.
 */
export function resolveTracesExporters(env: Env): string[] {
  const requested = readEnvList(env, 'OTEL_TRACES_EXPORTER');
  if (requested === undefined) {
    return hasOtlpEndpoint(env, 'TRACES') ? ['otlp'] : ['none'];
  }
  const supported = requested.filter((name) => (SUPPORTED_TRACES_EXPORTERS as readonly string[]).includes(name));
  const unknown = requested.filter((name) => !supported.includes(name));
  if (unknown.length > 0) {
    diag.warn(
      `OTEL_TRACES_EXPORTER="${env['OTEL_TRACES_EXPORTER']}": ignoring unknown exporter(s) ${unknown.join(', ')}; ` +
        `supported: ${SUPPORTED_TRACES_EXPORTERS.join(', ')}`,
    );
  }
  return supported.length > 0 ? supported : ['none'];
}

/** The OTLP wire protocol for traces, `http/protobuf` unless the environment says otherwise. */
export function resolveOtlpProtocol(env: Env): (typeof SUPPORTED_OTLP_PROTOCOLS)[number] {
  const variable = readEnv(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL')
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = readEnv(env, variable)?.toLowerCase() ?? 'http/protobuf';
  const known = SUPPORTED_OTLP_PROTOCOLS.find((candidate) => candidate === protocol);
  if (known) return known;
  diag.warn(
    `${variable}="${protocol}" is not supported; using http/protobuf (supported: ${SUPPORTED_OTLP_PROTOCOLS.join(', ')})`,
  );
  return 'http/protobuf';
}

function createOtlpExporter(env: Env): SpanExporter {
  switch (resolveOtlpProtocol(env)) {
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
