import {
  ClientKafka,
  ClientMqtt,
  ClientNats,
  ClientProxy,
  ClientRedis,
  ClientRMQ,
  KafkaContext,
  MqttContext,
  MqttRecordBuilder,
  NatsContext,
  RedisContext,
  RmqContext,
  RmqRecordBuilder,
  Transport,
} from '@nestjs/microservices';
import { propagation, SpanKind, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { lastValueFrom } from 'rxjs';
import { useInMemoryTracing } from '../spec-support/in-memory-tracing';
import { traceClient, type TraceableClient } from './message-clients';
import { type HookableServer, traceServer } from './message-servers';

/** NATS headers as `@nats-io/transport-node` makes them (the package is an app's, not the workspace's). */
class NatsHeadersDouble {
  private readonly values = new Map<string, string>();
  get(key: string): string {
    return this.values.get(key) ?? '';
  }
  set(key: string, value: string): void {
    this.values.set(key, value);
  }
  has(key: string): boolean {
    return this.values.has(key);
  }
  keys(): string[] {
    return [...this.values.keys()];
  }
}
jest.mock('@nats-io/transport-node', () => ({ headers: () => new NatsHeadersDouble() }), { virtual: true });

/**
 * Each transport of Nest with headers, end to end but for the broker: Nest's own client class with its own
 * serializer, its connection replaced by a double that keeps what would go on the wire, and on the other side the
 * context Nest's server builds from what the broker delivers, given to the server's processing hooks.
 */
interface TransportCase {
  system: string;
  transport: Transport;
  /** The client, connected to a double that records what it publishes. */
  client(published: unknown[]): Client;
  /** The server's RPC context of the delivered message, and the payload the handler would get. */
  deliver(published: unknown): { context: object; payload: unknown };
}

type Client = Pick<ClientProxy, 'emit'>;

/**
 * Nest's client of the class, built without its constructor (which loads the broker's client library, an app's
 * dependency, not the workspace's) but with its options and serializer, connected to the doubles in `fields`.
 */
function bare(type: { prototype: object }, options: object, fields: Record<string, unknown>): Client {
  const client = Object.create(type.prototype) as Client & { initializeSerializer(options: object): void };
  Object.assign(client, { options }, fields, { connect: () => Promise.resolve() });
  client.initializeSerializer(options);
  return client;
}

const CASES: TransportCase[] = [
  {
    system: 'nats',
    transport: Transport.NATS,
    client: (published) =>
      bare(
        ClientNats,
        {},
        {
          natsClient: {
            publish: (subject: string, data: string, options: unknown) => published.push({ subject, data, options }),
          },
        },
      ),
    deliver: (published) => {
      const { subject, data, options } = published as { subject: string; data: string; options: { headers: unknown } };
      return {
        context: new NatsContext([subject, options.headers]),
        payload: (JSON.parse(data) as { data: unknown }).data,
      };
    },
  },
  {
    system: 'rabbitmq',
    transport: Transport.RMQ,
    client: (published) =>
      bare(
        ClientRMQ,
        { queue: 'orders' },
        {
          queue: 'orders',
          channel: {
            sendToQueue: (queue: string, content: Buffer, options: unknown, done: (err?: unknown) => void) => {
              published.push({ content, properties: options });
              done();
            },
          },
        },
      ),
    deliver: (published) => {
      const message = published as { content: Buffer; properties: object };
      const packet = JSON.parse(message.content.toString()) as { pattern: string; data: unknown };
      return { context: new RmqContext([message, {}, packet.pattern]), payload: packet.data };
    },
  },
  {
    system: 'kafka',
    transport: Transport.KAFKA,
    client: (published) =>
      bare(
        ClientKafka,
        {},
        {
          _producer: { send: (record: { messages: unknown[] }) => Promise.resolve(published.push(...record.messages)) },
        },
      ),
    deliver: (published) => {
      const message = published as { value: string; headers: Record<string, string> };
      // The broker hands headers back as Buffers.
      const headers = Object.fromEntries(
        Object.entries(message.headers).map(([key, value]) => [key, Buffer.from(value)]),
      );
      const delivered = { ...message, value: Buffer.from(message.value), headers };
      return {
        context: new KafkaContext([delivered, 0, 'orders.created'] as never),
        payload: JSON.parse(message.value),
      };
    },
  },
  {
    system: 'mqtt',
    transport: Transport.MQTT,
    client: (published) =>
      bare(
        ClientMqtt,
        { protocolVersion: 5 },
        {
          mqttClient: {
            publish: (topic: string, packet: string, options: unknown, done: (err?: unknown) => void) => {
              published.push({ topic, packet, options });
              done();
            },
          },
        },
      ),
    deliver: (published) => {
      const { topic, packet, options } = published as { topic: string; packet: string; options: object };
      return {
        context: new MqttContext([topic, { topic, ...options }]),
        payload: (JSON.parse(packet) as { data: unknown }).data,
      };
    },
  },
  {
    system: 'redis',
    transport: Transport.REDIS,
    client: (published) =>
      bare(
        ClientRedis,
        {},
        {
          pubClient: {
            publish: (channel: string, packet: string, done: (err?: unknown) => void) => {
              published.push({ channel, packet });
              done();
            },
          },
        },
      ),
    deliver: (published) => {
      const { channel, packet } = published as { channel: string; packet: string };
      const parsed = JSON.parse(packet) as { data: unknown; metadata: unknown };
      return { context: new RedisContext([channel, parsed.metadata as never]), payload: parsed.data };
    },
  },
];

describe.each(CASES)('$system: the context in the transport’s headers', ({ system, transport, client, deliver }) => {
  let tracing: ReturnType<typeof useInMemoryTracing>;

  beforeEach(() => {
    tracing = useInMemoryTracing();
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });

  afterEach(async () => {
    await tracing.stop();
    propagation.disable();
  });

  async function roundTrip(
    data: unknown,
  ): Promise<{ producer: ReadableSpan; consumer: ReadableSpan; payload: unknown }> {
    const published: unknown[] = [];
    const proxy = client(published);
    traceClient(proxy as unknown as TraceableClient);
    await lastValueFrom(proxy.emit('orders.created', data), { defaultValue: undefined });
    expect(published).toHaveLength(1);

    const hooks: { start?: Parameters<Required<HookableServer>['setOnProcessingStartHook']>[0] } & {
      end?: Parameters<Required<HookableServer>['setOnProcessingEndHook']>[0];
    } = {};
    traceServer({
      transportId: transport,
      setOnProcessingStartHook: (hook) => (hooks.start = hook),
      setOnProcessingEndHook: (hook) => (hooks.end = hook),
    });
    const { context, payload } = deliver(published[0]);
    let activeInHandler: string | undefined;
    await hooks.start?.(transport, context, async () => {
      activeInHandler = trace.getActiveSpan()?.spanContext().spanId;
      hooks.end?.(transport, context);
    });

    const spans = tracing.exporter.getFinishedSpans();
    const producer = spans.find((span) => span.kind === SpanKind.PRODUCER);
    const consumer = spans.find((span) => span.kind === SpanKind.CONSUMER);
    if (producer === undefined || consumer === undefined) throw new Error('no PRODUCER or CONSUMER span');
    expect(activeInHandler).toBe(consumer.spanContext().spanId);
    return { producer, consumer, payload };
  }

  it('makes the CONSUMER span a child of the PRODUCER span, the payload untouched', async () => {
    const { producer, consumer, payload } = await roundTrip({ id: 7 });

    expect(producer.name).toBe('send orders.created');
    expect(consumer.name).toBe('process orders.created');
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(producer.attributes['messaging.system']).toBe(system);
    expect(consumer.attributes['messaging.system']).toBe(system);
    expect(consumer.attributes['messaging.destination.name']).toBe('orders.created');
    expect(payload).toEqual({ id: 7 });
  });
});

describe('records a client’s own headers beside the context', () => {
  let tracing: ReturnType<typeof useInMemoryTracing>;

  beforeEach(() => {
    tracing = useInMemoryTracing();
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });

  afterEach(async () => {
    await tracing.stop();
    propagation.disable();
  });

  it('keeps an RmqRecord’s headers and data', async () => {
    const published: Array<{ content: Buffer; properties: { headers: Record<string, string> } }> = [];
    const client = bare(
      ClientRMQ,
      { queue: 'orders' },
      {
        queue: 'orders',
        channel: {
          sendToQueue: (_queue: string, content: Buffer, properties: never, done: () => void) => {
            published.push({ content, properties });
            done();
          },
        },
      },
    );
    traceClient(client as unknown as TraceableClient);
    const record = new RmqRecordBuilder({ id: 7 }).setOptions({ headers: { tenant: 'acme' } }).build();
    await lastValueFrom(client.emit('orders.created', record), { defaultValue: undefined });

    expect(published[0]?.properties.headers).toEqual({ tenant: 'acme', traceparent: expect.any(String) });
    expect(JSON.parse(published[0]?.content.toString() ?? '')).toEqual({ pattern: 'orders.created', data: { id: 7 } });
  });

  it('keeps an MqttRecord’s user properties', async () => {
    const published: Array<{ options: { properties: { userProperties: Record<string, string> } } }> = [];
    const client = bare(
      ClientMqtt,
      { protocolVersion: 5 },
      {
        mqttClient: {
          publish: (_topic: string, _packet: string, options: never, done: () => void) => {
            published.push({ options });
            done();
          },
        },
      },
    );
    traceClient(client as unknown as TraceableClient);
    const record = new MqttRecordBuilder({ id: 7 }).setProperties({ userProperties: { tenant: 'acme' } }).build();
    await lastValueFrom(client.emit('orders.created', record), { defaultValue: undefined });

    expect(published[0]?.options.properties.userProperties).toEqual({
      tenant: 'acme',
      traceparent: expect.any(String),
    });
  });
});
