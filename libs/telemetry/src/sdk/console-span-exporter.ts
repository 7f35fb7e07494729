import { type Link, type SpanContext, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, TimedEvent } from '@opentelemetry/sdk-trace';
import { type ConsoleStream, hexId, isoTime, resourceDocument, writeDocument } from './console-document';

/**
 * `OTEL_TRACES_EXPORTER=console` (and a configuration file's `console` span exporter): each span one JSON
 * document on stdout, in the shape of the Python SDK's `ConsoleSpanExporter`, where the SDK's own prints
 * an object dump (`kind: 1`, times in µs) that `jq` cannot read.
 */
export class ConsoleJsonSpanExporter implements SpanExporter {
  private readonly stream: ConsoleStream;

  constructor(options: { stream?: ConsoleStream } = {}) {
    this.stream = options.stream ?? process.stdout;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      for (const span of spans) writeDocument(this.stream, spanDocument(span));
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** A span as Python's `ReadableSpan.to_json()` writes it, field for field. */
export function spanDocument(span: ReadableSpan): object {
  const parent = span.parentSpanContext;
  return {
    name: span.name,
    context: contextDocument(span.spanContext()),
    kind: `SpanKind.${SpanKind[span.kind]}`,
    parent_id: parent ? hexId(parent.spanId) : null,
    start_time: isoTime(span.startTime),
    end_time: isoTime(span.endTime),
    status: {
      status_code: SpanStatusCode[span.status.code],
      // Python writes a description only when there is one.
      ...(span.status.message ? { description: span.status.message } : {}),
    },
    attributes: span.attributes,
    events: span.events.map((event: TimedEvent) => ({
      name: event.name,
      timestamp: isoTime(event.time),
      attributes: event.attributes ?? {},
    })),
    links: span.links.map((link: Link) => ({
      context: contextDocument(link.context),
      attributes: link.attributes ?? {},
    })),
    resource: resourceDocument(span.resource),
  };
}

function contextDocument(context: SpanContext): object {
  return { trace_id: hexId(context.traceId), span_id: hexId(context.spanId), trace_state: traceState(context) };
}

/**
 * The trace state as Python prints it (`repr` of its entries): `[]`, or `['{key=vendor, value=abc}']`, in
 * the order of the `tracestate` header.
 */
function traceState(context: SpanContext): string {
  const entries = (context.traceState?.serialize() ?? '')
    .split(',')
    .filter((entry) => entry !== '')
    .map((entry) => {
      const equals = entry.indexOf('=');
      return `'{key=${entry.slice(0, equals)}, value=${entry.slice(equals + 1)}}'`;
    });
  return `[${entries.join(', ')}]`;
}
