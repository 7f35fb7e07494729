import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/** `messaging.system` of each of Nest's transports, by `Transport` (the server's `transportId`). */
const SYSTEM_BY_TRANSPORT: Record<number, string> = {
  0: 'tcp',
  1: 'redis',
  2: 'nats',
  3: 'mqtt',
  4: 'grpc',
  5: 'rabbitmq',
  6: 'kafka',
};

/** `messaging.system` of each of Nest's clients, by class. */
const SYSTEM_BY_CLIENT: Record<string, string> = {
  ClientTCP: 'tcp',
  ClientRedis: 'redis',
  ClientNats: 'nats',
  ClientMqtt: 'mqtt',
  ClientGrpcProxy: 'grpc',
  ClientRMQ: 'rabbitmq',
  ClientKafka: 'kafka',
};

/** The `messaging.system` of a server, from its `transportId`; a custom transport's own name otherwise. */
export function serverSystem(server: { transportId?: unknown; constructor: { name: string } }): string {
  const id = server.transportId;
  if (typeof id === 'number' && SYSTEM_BY_TRANSPORT[id] !== undefined) return SYSTEM_BY_TRANSPORT[id];
  if (typeof id === 'symbol') return id.description ?? server.constructor.name;
  return typeof id === 'string' ? id : server.constructor.name;
}

/** The `messaging.system` of a client, from its class. */
export function clientSystem(client: object): string {
  const name = client.constructor.name;
  return SYSTEM_BY_CLIENT[name] ?? name;
}

/** A pattern as Nest routes it: a string as is, an object as its JSON (Nest sorts its keys). */
export function patternName(pattern: unknown): string {
  return typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
}

/** Where a transport carries `traceparent` and `baggage`: a plain object of string values. */
export type Carrier = Record<string, string>;

interface NatsHeaders {
  get(key: string): string;
  set(key: string, value: string): void;
  has(key: string): boolean;
}

/**
 * The serialized packet of a client, with the carrier added where its transport keeps headers, never in the
 * payload the handler receives:
 * - `nats`: the message headers (`NatsRecordSerializer`'s `headers`, made when there were none);
 * - `rabbitmq`: the AMQP message `headers` (`RmqRecordSerializer`'s `options.headers`);
 * - `kafka`: the Kafka record's `headers`;
 * - `tcp`, `redis` and custom transports: the packet's `metadata`, beside `pattern` and `data` in Nest's own
 *   envelope (read back by `TcpContext#getMetadata()`/`RedisContext#getMetadata()`).
 * `mqtt` is not carried here: MQTT 5 user properties are publish options, not part of the serialized packet (see
 * `withMqttUserProperties`).
 */
export function injectIntoSerialized(system: string, serialized: unknown, carrier: Carrier): unknown {
  if (Object.keys(carrier).length === 0 || typeof serialized !== 'object' || serialized === null) return serialized;
  const packet = serialized as Record<string, unknown>;
  switch (system) {
    case 'nats': {
      const headers = (packet.headers as NatsHeaders | undefined) ?? natsHeaders();
      if (headers === undefined) return serialized;
      for (const [key, value] of Object.entries(carrier)) if (!headers.has(key)) headers.set(key, value);
      return { ...packet, headers };
    }
    case 'rabbitmq': {
      const options = (packet.options as { headers?: Carrier } | undefined) ?? {};
      return { ...packet, options: { ...options, headers: { ...carrier, ...options.headers } } };
    }
    case 'kafka':
      return { ...packet, headers: { ...carrier, ...(packet.headers as Carrier | undefined) } };
    case 'mqtt':
    case 'grpc':
      return serialized;
    default:
      return { ...packet, metadata: { ...carrier, ...(packet.metadata as Carrier | undefined) } };
  }
}

/** MQTT 5 publish options with the carrier added to their `userProperties`. */
export function withMqttUserProperties(options: unknown, carrier: Carrier): Record<string, unknown> | undefined {
  const given = (typeof options === 'object' && options !== null ? options : {}) as {
    properties?: { userProperties?: Carrier };
  };
  if (Object.keys(carrier).length === 0) return options as Record<string, unknown> | undefined;
  return {
    ...given,
    properties: { ...given.properties, userProperties: { ...carrier, ...given.properties?.userProperties } },
  };
}

/** A fresh NATS headers object, from the client library `ClientNats` loaded itself. */
function natsHeaders(): NatsHeaders | undefined {
  try {
    // Loaded only by an app that uses NATS, whose client loaded it first.
    return (require('@nats-io/transport-node') as { headers(): NatsHeaders }).headers();
  } catch {
    return undefined;
  }
}

/**
 * The handler pattern a message's destination matched when that pattern has wildcards (MQTT `+`/`#` between `/`,
 * NATS `*`/`>` between `.`): the low-cardinality name of the destination, for span names and metric series.
 * `undefined` when the destination is a pattern itself, or matches none.
 */
export function destinationTemplate(
  system: string,
  patterns: Iterable<string>,
  destination: string,
): string | undefined {
  const wildcards =
    system === 'mqtt'
      ? { separator: '/', one: '+', rest: '#' }
      : system === 'nats'
        ? { separator: '.', one: '*', rest: '>' }
        : undefined;
  if (wildcards === undefined) return undefined;
  const tokens = destination.split(wildcards.separator);
  for (const pattern of patterns) {
    if (pattern === destination) return undefined;
    const parts = pattern.split(wildcards.separator);
    if (!parts.includes(wildcards.one) && !parts.includes(wildcards.rest)) continue;
    const matches = parts.every((part, index) => {
      if (part === wildcards.rest) return index === parts.length - 1 && tokens.length >= index;
      return index < tokens.length && (part === wildcards.one || part === tokens[index]);
    });
    if (matches && (parts.at(-1) === wildcards.rest || parts.length === tokens.length)) return pattern;
  }
  return undefined;
}

/** What a consumer span needs from the RPC context a server hands to its handler. */
export interface IncomingMessage {
  destination: string;
  carrier: unknown;
  getter: TextMapGetter<unknown>;
}

type AnyContext = Record<string, ((...args: never[]) => unknown) | undefined>;

const objectGetter: TextMapGetter<unknown> = {
  keys: (carrier) => (isObject(carrier) ? Object.keys(carrier) : []),
  get: (carrier, key) => {
    if (!isObject(carrier)) return undefined;
    const value = (carrier as Record<string, unknown>)[key];
    if (typeof value === 'string') return value;
    if (Buffer.isBuffer(value)) return value.toString();
    if (Array.isArray(value)) return value.map(String);
    return undefined;
  },
};

const natsGetter: TextMapGetter<unknown> = {
  keys: (carrier) => (carrier as { keys?: () => string[] } | undefined)?.keys?.() ?? [],
  get: (carrier, key) => (carrier as NatsHeaders | undefined)?.get?.(key) || undefined,
};

/** The destination and the trace carrier of an incoming message, read from the context of its transport. */
export function incomingMessage(system: string, rpcContext: unknown): IncomingMessage {
  const ctx = (isObject(rpcContext) ? rpcContext : {}) as AnyContext;
  const call = (name: string): unknown => {
    const method = ctx[name];
    return typeof method === 'function' ? (method as () => unknown).call(ctx) : undefined;
  };
  const destination = patternName(call('getPattern') ?? call('getSubject') ?? call('getTopic') ?? call('getChannel'));
  switch (system) {
    case 'nats':
      return { destination, carrier: call('getHeaders'), getter: natsGetter };
    case 'rabbitmq':
      return {
        destination,
        carrier: (call('getMessage') as { properties?: { headers?: unknown } } | undefined)?.properties?.headers,
        getter: objectGetter,
      };
    case 'kafka':
      return {
        destination,
        carrier: (call('getMessage') as { headers?: unknown } | undefined)?.headers,
        getter: objectGetter,
      };
    case 'mqtt':
      return {
        destination,
        carrier: (call('getPacket') as { properties?: { userProperties?: unknown } } | undefined)?.properties
          ?.userProperties,
        getter: objectGetter,
      };
    default:
      return { destination, carrier: call('getMetadata'), getter: objectGetter };
  }
}

/** Sets W3C fields on a plain object. */
export const carrierSetter: TextMapSetter<Carrier> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
