import { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { QueryRedactingSpanProcessor } from './query-redacting-span-processor';

describe('QueryRedactingSpanProcessor', () => {
  it('redacts url.query and url.full set at start or later, before any exporter sees the span', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new QueryRedactingSpanProcessor(), new SimpleSpanProcessor({ exporter: exporter })],
    });
    const tracer = provider.getTracer('test');
    tracer.startSpan('GET', { attributes: { 'url.query': 'token=s3cret&page=2', 'url.path': '/healthz' } }).end();
    const client = tracer.startSpan('GET');
    client.setAttribute('url.full', 'http://upstream/healthz?sig=abc&token=s3cret');
    client.end();
    await provider.forceFlush();
    expect(exporter.getFinishedSpans().map((span) => span.attributes)).toEqual([
      { 'url.query': 'token=REDACTED&page=REDACTED', 'url.path': '/healthz' },
      { 'url.full': 'http://upstream/healthz?sig=REDACTED&token=REDACTED' },
    ]);
    await provider.shutdown();
  });
});
