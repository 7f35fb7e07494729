import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { TracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { protobufSpanSerializer } from './protobuf-span-serializer';

/** Finished spans of two resources and three scopes, with every kind of field and attribute value. */
function finishedSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const providers = [
    resourceFromAttributes({ 'service.name': 'health-api', 'service.instance.id': 'é-1', 'host.cpus': 2 }),
    resourceFromAttributes({ 'service.name': 'gateway-api' }),
  ].map((resource) => new TracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
  const [first, second] = providers;
  if (!first || !second) throw new Error('two providers');
  const http = first.getTracer('@obs/telemetry', '1.2.3');
  const app = first.getTracer('app');
  const remoteParent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: new TraceState('vendor=value,other=1'),
  });
  const server = http.startSpan(
    'GET /healthz',
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'http.response.status_code': 200,
        'url.path': `/${'long-segment/'.repeat(20)}`,
        'user_agent.original': 'curl/8.5 — 日本語 🚀',
        empty: '',
        // Around the length up to which ASCII is copied a character at a time, and a lone surrogate in a short one.
        'ascii.64': 'b'.repeat(64),
        'ascii.65': 'c'.repeat(65),
        'lone.surrogate': 'a\uD800b',
        // Keys whose length takes two bytes: one kept encoded (128 characters), one too long to keep.
        [`é${'k'.repeat(127)}`]: 'two-byte key length',
        ['k'.repeat(300)]: 'x'.repeat(16_400),
        negative: -42,
        zero: 0,
        'max.uint32': 2 ** 32 - 1,
        'past.uint32': 2 ** 32,
        large: 2 ** 40 + 3,
        huge: 2 ** 60,
        ratio: 0.25,
        flag: false,
        list: ['a', 'é', ''],
        numbers: [1, -2, 3.5],
      },
      links: [
        { context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.NONE } },
        {
          context: {
            traceId: '1'.repeat(32),
            spanId: '2'.repeat(16),
            traceFlags: TraceFlags.SAMPLED,
            isRemote: true,
            traceState: new TraceState('k=v'),
          },
          attributes: { 'link.kind': 'follows' },
        },
      ],
    },
    remoteParent,
  );
  context.with(trace.setSpan(ROOT_CONTEXT, server), () => {
    const child = app.startSpan('HealthService.check');
    child.addEvent('checked', { 'check.count': 3 });
    child.addEvent('no attributes');
    child.recordException(new Error('boom'));
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'failed: ünïcode' });
    child.end();
  });
  server.setStatus({ code: SpanStatusCode.OK });
  server.end();
  for (const kind of [SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER, SpanKind.INTERNAL])
    second.getTracer('messaging').startSpan(`kind ${kind}`, { kind }).end();
  return exporter.getFinishedSpans();
}

/** A span as an exporter receives it, made by hand: values and ids the SDK's own spans would never hold. */
function handMadeSpan(traceId: string, attributes: Record<string, unknown>): ReadableSpan {
  const resource = {
    attributes: { 'service.name': 'hand-made' },
    schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
  };
  const scope = {
    name: 'hand',
    version: '0.1',
    schemaUrl: 'https://example.com/scope',
    attributes: { 'scope.attribute': true },
    droppedAttributesCount: 2,
  };
  return {
    name: 'hand-made',
    kind: SpanKind.INTERNAL,
    spanContext: () => ({ traceId, spanId: 'B7AD6B7169203331', traceFlags: TraceFlags.SAMPLED }),
    parentSpanContext: undefined,
    startTime: [1_765_000_000, 999_999_999],
    endTime: [4_294_967_295, 1],
    status: { code: SpanStatusCode.UNSET },
    attributes,
    links: [],
    events: [{ name: 'event', time: [0, 0], droppedAttributesCount: 3 }],
    duration: [1, 0],
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: 1,
    droppedEventsCount: 4,
    droppedLinksCount: 5,
  } as unknown as ReadableSpan;
}

function sdkBytes(spans: ReadableSpan[]): Buffer {
  return Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) ?? new Uint8Array());
}

describe('protobufSpanSerializer', () => {
  it('writes the same bytes as the OpenTelemetry SDK’s protobuf serializer, every field and value kind', () => {
    const spans = finishedSpans();
    expect(spans).toHaveLength(6);
    expect(Buffer.from(protobufSpanSerializer.serializeRequest(spans))).toEqual(sdkBytes(spans));
  });

  it('writes the same bytes for values and ids the SDK would not make: bytes, objects, non-finite and 64-bit numbers, bad hex', () => {
    const attributes = {
      bytes: new Uint8Array([0, 1, 255]),
      object: { nested: { deeper: [1, 'two', false] }, count: 3 },
      notANumber: Number.NaN,
      infinite: Number.POSITIVE_INFINITY,
      negativeInfinite: Number.NEGATIVE_INFINITY,
      negativeZero: -0,
      beyondInt64: 2 ** 63,
      smallestInt64: -(2 ** 63),
      loneSurrogate: 'a\uD800b',
      empty: [],
    };
    for (const traceId of ['0AF7651916CD43DD8448EB211C80319C', 'zz'.repeat(16), '0af76519gg', 'abc']) {
      const spans = [handMadeSpan(traceId, attributes)];
      expect(Buffer.from(protobufSpanSerializer.serializeRequest(spans))).toEqual(sdkBytes(spans));
    }
  });

  it('writes the same bytes again once its strings are kept encoded, and keeps no bytes of a batch in another', () => {
    const spans = finishedSpans();
    const first = protobufSpanSerializer.serializeRequest(spans);
    const firstCopy = Buffer.from(first);
    const second = protobufSpanSerializer.serializeRequest(spans.slice(0, 2));
    expect(Buffer.from(protobufSpanSerializer.serializeRequest(spans))).toEqual(sdkBytes(spans));
    expect(Buffer.from(second)).toEqual(sdkBytes(spans.slice(0, 2)));
    expect(Buffer.from(first)).toEqual(firstCopy);
  });

  it('writes a batch larger than its first buffer, and an empty one', () => {
    const spans = finishedSpans();
    const batch = Array.from({ length: 200 }, () => spans).flat();
    const bytes = Buffer.from(protobufSpanSerializer.serializeRequest(batch));
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    expect(bytes.equals(sdkBytes(batch))).toBe(true);
    expect(Buffer.from(protobufSpanSerializer.serializeRequest([]))).toEqual(sdkBytes([]));
  });
});
