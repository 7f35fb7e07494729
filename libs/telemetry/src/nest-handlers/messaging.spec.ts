import { createServer } from 'node:net';
import { Controller, Inject, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ClientProxy,
  ClientsModule,
  Ctx,
  EventPattern,
  MessagePattern,
  Payload,
  RpcException,
  TcpContext,
  Transport,
} from '@nestjs/microservices';
import { ExpressAdapter } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { type Attributes, metrics, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { W3CBaggagePropagator, W3CTraceContextPropagator, CompositePropagator } from '@opentelemetry/core';
import { DataPointType, type HistogramMetricData, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { useInMemoryTracing } from '../spec-support/in-memory-tracing';
import { TelemetryModule } from '../telemetry.module';

const CLIENT = 'ORDERS_CLIENT';

/** Collects on demand. */
class CollectingReader extends MetricReader {
  protected override onForceFlush = (): Promise<void> => Promise.resolve();
  protected override onShutdown = (): Promise<void> => Promise.resolve();
}

/** What the handlers saw, to check that the payload is the caller's, untouched. */
const seen: { payloads: unknown[]; metadata: unknown[] } = { payloads: [], metadata: [] };
let eventHandled: () => void = () => undefined;

@Controller()
class OrdersController {
  @MessagePattern('orders.sum')
  sum(@Payload() numbers: number[], @Ctx() ctx: TcpContext): number {
    seen.payloads.push(numbers);
    seen.metadata.push(ctx.getMetadata());
    return numbers.reduce((total, value) => total + value, 0);
  }

  @MessagePattern({ cmd: 'orders.fail' })
  fail(): never {
    throw new RpcException('no such order');
  }

  @EventPattern('orders.created')
  async created(@Payload() order: unknown): Promise<void> {
    seen.payloads.push(order);
    await Promise.resolve();
    eventHandled();
  }
}

function clientsModule(port: number) {
  return ClientsModule.register([{ name: CLIENT, transport: Transport.TCP, options: { host: '127.0.0.1', port } }]);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('messages over TCP, with TelemetryModule.forRoot() and nothing else', () => {
  let tracing: ReturnType<typeof useInMemoryTracing>;
  let reader: CollectingReader;

  beforeEach(() => {
    tracing = useInMemoryTracing();
    propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    );
    reader = new CollectingReader();
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    seen.payloads = [];
    seen.metadata = [];
  });

  afterEach(async () => {
    await tracing.stop();
    propagation.disable();
    metrics.disable();
  });

  const spans = (): ReadableSpan[] => tracing.exporter.getFinishedSpans();
  const named = (name: string): ReadableSpan => {
    const span = spans().find((candidate) => candidate.name === name);
    if (span === undefined)
      throw new Error(
        `no span ${name} in ${spans()
          .map((s) => s.name)
          .join(', ')}`,
      );
    return span;
  };

  async function waitForSpan(name: string): Promise<ReadableSpan> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const span = spans().find((candidate) => candidate.name === name);
      if (span !== undefined) return span;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return named(name);
  }

  async function histogramPoints(name: string): Promise<Array<{ attributes: Attributes; count: number }>> {
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((candidate) => candidate.descriptor.name === name);
    if (metric === undefined) return [];
    expect(metric.dataPointType).toBe(DataPointType.HISTOGRAM);
    return (metric as HistogramMetricData).dataPoints.map((point) => ({
      attributes: point.attributes,
      count: point.value.count,
    }));
  }

  describe('a hybrid app of @nestjs/testing (connectMicroservice)', () => {
    let app: INestApplication;
    let client: ClientProxy;

    beforeEach(async () => {
      const port = await freePort();
      const moduleRef = await Test.createTestingModule({
        imports: [TelemetryModule.forRoot(), clientsModule(port)],
        controllers: [OrdersController],
      }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      app.connectMicroservice({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
      await app.startAllMicroservices();
      await app.init();
      client = app.get<ClientProxy>(CLIENT);
    });

    afterEach(async () => {
      await app.close();
    });

    it('makes send() a PRODUCER span and the handler a CONSUMER span, its child: one trace', async () => {
      await expect(firstValueFrom(client.send('orders.sum', [1, 2, 3]))).resolves.toBe(6);

      const producer = await waitForSpan('send orders.sum');
      const consumer = await waitForSpan('process orders.sum');
      expect(producer.kind).toBe(SpanKind.PRODUCER);
      expect(consumer.kind).toBe(SpanKind.CONSUMER);
      expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
      expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
      expect(producer.attributes).toEqual({
        'messaging.system': 'tcp',
        'messaging.destination.name': 'orders.sum',
        'messaging.operation.name': 'send',
        'messaging.operation.type': 'send',
      });
      expect(consumer.attributes).toEqual({
        'messaging.system': 'tcp',
        'messaging.destination.name': 'orders.sum',
        'messaging.operation.name': 'process',
        'messaging.operation.type': 'process',
      });
      // The context travels in the packet's metadata, beside the payload, which the handler gets as sent.
      expect(seen.payloads).toEqual([[1, 2, 3]]);
      expect(seen.metadata).toEqual([{ traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) }]);
    });

    it('makes emit() a PRODUCER span and the event handler a CONSUMER span, its child', async () => {
      const handled = new Promise<void>((resolve) => (eventHandled = resolve));
      await lastValueFrom(client.emit('orders.created', { id: 7 }), { defaultValue: undefined });
      await handled;

      const producer = await waitForSpan('send orders.created');
      const consumer = await waitForSpan('process orders.created');
      expect(producer.kind).toBe(SpanKind.PRODUCER);
      expect(producer.attributes['messaging.operation.name']).toBe('publish');
      expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
      expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
      expect(seen.payloads).toEqual([{ id: 7 }]);
    });

    it('records an RpcException on the CONSUMER span and the error on the PRODUCER span', async () => {
      await expect(firstValueFrom(client.send({ cmd: 'orders.fail' }, {}))).rejects.toMatchObject({
        message: 'no such order',
      });

      const consumer = await waitForSpan('process {"cmd":"orders.fail"}');
      const producer = await waitForSpan('send {"cmd":"orders.fail"}');
      expect(consumer.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no such order' });
      expect(consumer.attributes['error.type']).toBe('RpcException');
      expect(consumer.events.map((event) => event.name)).toEqual(['exception']);
      expect(producer.status.code).toBe(SpanStatusCode.ERROR);
      expect(producer.attributes['error.type']).toBe('_OTHER');
    });

    it('records messaging.client.operation.duration and messaging.process.duration by pattern, system, error', async () => {
      await firstValueFrom(client.send('orders.sum', [1]));
      await firstValueFrom(client.send('orders.sum', [2]));
      await expect(firstValueFrom(client.send({ cmd: 'orders.fail' }, {}))).rejects.toBeDefined();
      await waitForSpan('process {"cmd":"orders.fail"}');
      await waitForSpan('send {"cmd":"orders.fail"}');

      const base = { 'messaging.system': 'tcp' };
      expect(await histogramPoints('messaging.client.operation.duration')).toEqual(
        expect.arrayContaining([
          {
            attributes: {
              ...base,
              'messaging.destination.name': 'orders.sum',
              'messaging.operation.name': 'send',
              'messaging.operation.type': 'send',
            },
            count: 2,
          },
          {
            attributes: {
              ...base,
              'messaging.destination.name': '{"cmd":"orders.fail"}',
              'messaging.operation.name': 'send',
              'messaging.operation.type': 'send',
              'error.type': '_OTHER',
            },
            count: 1,
          },
        ]),
      );
      expect(await histogramPoints('messaging.process.duration')).toEqual(
        expect.arrayContaining([
          {
            attributes: {
              ...base,
              'messaging.destination.name': 'orders.sum',
              'messaging.operation.name': 'process',
              'messaging.operation.type': 'process',
            },
            count: 2,
          },
          {
            attributes: {
              ...base,
              'messaging.destination.name': '{"cmd":"orders.fail"}',
              'messaging.operation.name': 'process',
              'messaging.operation.type': 'process',
              'error.type': 'RpcException',
            },
            count: 1,
          },
        ]),
      );
    });
  });

  describe('a hybrid app of NestFactory.create() and a client in an application context of its own', () => {
    it('makes one trace of the round trip', async () => {
      const port = await freePort();
      @Module({ imports: [TelemetryModule.forRoot()], controllers: [OrdersController] })
      class OrdersModule {}
      @Module({ imports: [TelemetryModule.forRoot(), clientsModule(port)] })
      class CallerModule {
        constructor(@Inject(CLIENT) readonly client: ClientProxy) {}
      }
      // NestFactory.createMicroservice() too, in an app; not here: it loads @nestjs/microservices (and create() the
      // platform when given none) by a dynamic import(), which Jest's CommonJS runtime cannot run.
      const microservice = await NestFactory.create(OrdersModule, new ExpressAdapter(), { logger: false });
      microservice.connectMicroservice({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
      await microservice.startAllMicroservices();
      await microservice.init();
      const caller = await NestFactory.createApplicationContext(CallerModule, { logger: false });
      try {
        await expect(firstValueFrom(caller.get(CallerModule).client.send('orders.sum', [4, 5]))).resolves.toBe(9);
        const producer = await waitForSpan('send orders.sum');
        const consumer = await waitForSpan('process orders.sum');
        expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
      } finally {
        await caller.close();
        await microservice.close();
      }
    });
  });
});
