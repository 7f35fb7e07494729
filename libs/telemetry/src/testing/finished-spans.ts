import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * The exporter's finished spans once there are at least `count` (a SERVER span ends on the response's
 * `close`, just after the client has its answer), or whatever there is after a second.
 */
export async function finishedSpans(exporter: InMemorySpanExporter, count: number): Promise<ReadableSpan[]> {
  for (let attempt = 0; attempt < 100 && exporter.getFinishedSpans().length < count; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return exporter.getFinishedSpans();
}
