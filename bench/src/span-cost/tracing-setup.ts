import { context, type Context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  TracerProvider,
  BatchSpanProcessor,
  NoopSpanProcessor,
  RandomIdGenerator,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { CountingDroppingExporter } from './counting-exporter';

/** How one case of the micro-benchmark wires OpenTelemetry, and the context its calls run in. */
export interface TracingSetup {
  /** Context the calls run in: a parent span, as `@Span()` methods run inside an HTTP server span. */
  readonly parent: Context;
  /** Spans that reached the exporter so far, when the case has one. */
  exported(): number | undefined;
  uninstall(): Promise<void>;
}

/** No SDK at all: the OpenTelemetry API's no-op tracer (what `OTEL_SDK_DISABLED=true` leaves). */
export function installNoSdk(): TracingSetup {
  return { parent: ROOT_CONTEXT, exported: () => undefined, uninstall: async () => undefined };
}

/**
 * A real TracerProvider (default parent-based always-on sampler) with AsyncLocalStorage context, as
 * the NodeSDK sets it up, and a parent span context that is sampled or not.
 */
export function installSdk(processor: 'noop' | 'batch-dropping', parentSampled: boolean): TracingSetup {
  const exporter = processor === 'batch-dropping' ? new CountingDroppingExporter() : undefined;
  const spanProcessor: SpanProcessor = exporter ? new BatchSpanProcessor({ exporter }) : new NoopSpanProcessor();
  const provider = new TracerProvider({ spanProcessors: [spanProcessor] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  return {
    parent: parentContext(parentSampled),
    exported: () => exporter?.exported,
    uninstall: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}

function parentContext(sampled: boolean): Context {
  const ids = new RandomIdGenerator();
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: ids.generateTraceId(),
    spanId: ids.generateSpanId(),
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: false,
  });
}
