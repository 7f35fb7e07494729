import { context, type HrTime, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ConsoleStream } from './console-document';
import { ConsoleJsonSpanExporter } from './console-span-exporter';

/** A stream that keeps what is written, a terminal or not. */
class Captured implements ConsoleStream {
  readonly chunks: string[] = [];
  constructor(readonly isTTY: boolean) {}
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

const START: HrTime = [1_665_633_031, 90_144_789];
const END: HrTime = [1_665_633_031, 90_545_001];
const RESOURCE = { 'service.name': 'health-api', 'telemetry.sdk.language': 'nodejs' };

/** A SERVER span and its INTERNAL child, ended, printed to a stream `isTTY` or not; resolves to what was written. */
async function printSpans(isTTY: boolean): Promise<Captured> {
  const stream = new Captured(isTTY);
  const provider = new TracerProvider({
    resource: resourceFromAttributes(RESOURCE),
    spanProcessors: [new SimpleSpanProcessor({ exporter: new ConsoleJsonSpanExporter({ stream }) })],
  });
  const tracer = provider.getTracer('spec');
  const server = tracer.startSpan('GET /healthz', {
    kind: SpanKind.SERVER,
    startTime: START,
    attributes: { 'http.route': '/healthz', 'http.response.status_code': 200 },
  });
  const child = tracer.startSpan(
    'HealthService.check',
    {
      startTime: START,
      links: [
        {
          context: {
            traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
            spanId: '00f067aa0ba902b7',
            traceFlags: TraceFlags.SAMPLED,
            traceState: new TraceState('vendor=abc,other=1'),
          },
          attributes: { why: 'spec' },
        },
      ],
    },
    trace.setSpan(context.active(), server),
  );
  child.addEvent('checked', { healthy: false }, [1_665_633_031, 90_500_000]);
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'not healthy' });
  child.end(END);
  server.setStatus({ code: SpanStatusCode.OK });
  server.end(END);
  await provider.shutdown();
  return stream;
}

describe('ConsoleJsonSpanExporter', () => {
  it('writes one JSON document per line, in the shape of the Python SDK’s console spans, when not on a terminal', async () => {
    const stream = await printSpans(false);
    const lines = stream.text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2);
    const [child, server] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const serverContext = server?.['context'] as { trace_id: string; span_id: string };
    expect(serverContext.trace_id).toMatch(/^0x[0-9a-f]{32}$/);
    expect(serverContext.span_id).toMatch(/^0x[0-9a-f]{16}$/);
    const resource = { attributes: RESOURCE, schema_url: '' };
    expect(server).toEqual({
      name: 'GET /healthz',
      context: { trace_id: serverContext.trace_id, span_id: serverContext.span_id, trace_state: '[]' },
      kind: 'SpanKind.SERVER',
      parent_id: null,
      start_time: '2022-10-13T03:50:31.090144Z',
      end_time: '2022-10-13T03:50:31.090545Z',
      status: { status_code: 'OK' },
      attributes: { 'http.route': '/healthz', 'http.response.status_code': 200 },
      events: [],
      links: [],
      resource,
    });
    expect(child).toEqual({
      name: 'HealthService.check',
      context: {
        trace_id: serverContext.trace_id,
        span_id: expect.stringMatching(/^0x[0-9a-f]{16}$/),
        trace_state: '[]',
      },
      kind: 'SpanKind.INTERNAL',
      parent_id: serverContext.span_id,
      start_time: '2022-10-13T03:50:31.090144Z',
      end_time: '2022-10-13T03:50:31.090545Z',
      status: { status_code: 'ERROR', description: 'not healthy' },
      attributes: {},
      events: [{ name: 'checked', timestamp: '2022-10-13T03:50:31.090500Z', attributes: { healthy: false } }],
      links: [
        {
          context: {
            trace_id: '0x4bf92f3577b34da6a3ce929d0e0e4736',
            span_id: '0x00f067aa0ba902b7',
            trace_state: "['{key=vendor, value=abc}', '{key=other, value=1}']",
          },
          attributes: { why: 'spec' },
        },
      ],
      resource,
    });
  });

  it('indents each document for a person on a terminal, the same JSON, without colour', async () => {
    const piped = await printSpans(false);
    const terminal = await printSpans(true);
    expect(terminal.chunks).toHaveLength(2);
    for (const [index, chunk] of terminal.chunks.entries()) {
      expect(chunk).toMatch(/^\{\n {4}"name": "/);
      expect(chunk.endsWith('\n}\n')).toBe(true);
      expect(chunk).not.toContain('\u001b');
      const parsed = JSON.parse(chunk) as { context: object };
      const pipedDocument = JSON.parse(piped.chunks[index] ?? '') as { context: object };
      // Ids differ between the two runs; everything else is the same document.
      expect({ ...parsed, context: undefined, parent_id: undefined }).toEqual({
        ...pipedDocument,
        context: undefined,
        parent_id: undefined,
      });
    }
  });

  it('writes to stdout unless given a stream, as the SDK’s console exporter does', () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const provider = new TracerProvider({
        spanProcessors: [new SimpleSpanProcessor({ exporter: new ConsoleJsonSpanExporter() })],
      });
      provider.getTracer('spec').startSpan('to stdout').end();
      expect(write).toHaveBeenCalledTimes(1);
      expect(JSON.parse(String(write.mock.calls[0]?.[0]))).toMatchObject({ name: 'to stdout' });
    } finally {
      write.mockRestore();
    }
  });
});
