// The second entry point of @obs/lifecycle, `@obs/lifecycle/broker`: how the apps of this workspace reach each other
// over a message broker. Apart from index.ts so that an app without microservices never loads @nestjs/microservices.
import { type INestApplication, Logger } from '@nestjs/common';
import { type ClientProvider, Transport } from '@nestjs/microservices';
import { reportStartFailure } from './serve';

/** The broker `BROKER_URL` names when it is not set: a `nats-server` on this machine, with its default port. */
export const DEFAULT_BROKER_URL = 'nats://127.0.0.1:4222';

/** The queue RabbitMQ delivers the worker's messages to. */
export const WORKER_QUEUE = 'worker';

/** Which broker, and how its messages are queued, when `BROKER_URL` does not say. */
export interface BrokerDefaults {
  /** The URL used when `BROKER_URL` is not set. @default 'nats://127.0.0.1:4222' */
  defaultUrl?: string;
  /** The RabbitMQ queue the server consumes and the client sends to. @default 'worker' */
  queue?: string;
}

const SCHEMES: Record<string, (url: URL, queue: string) => ClientProvider> = {
  'nats:': (url) => ({ transport: Transport.NATS, options: { servers: [url.href] } }),
  'amqp:': (url, queue) => ({ transport: Transport.RMQ, options: { urls: [url.href], queue } }),
  'tcp:': (url) => ({ transport: Transport.TCP, options: { host: url.hostname, port: Number(url.port) } }),
  'redis:': (url) => ({ transport: Transport.REDIS, options: { host: url.hostname, port: Number(url.port || 6379) } }),
  // MQTT 5: its user properties carry the trace context (MQTT 3.1.1 has no headers).
  'mqtt:': (url) => ({ transport: Transport.MQTT, options: { url: url.href, protocolVersion: 5 } }),
};

/**
 * The Nest transport and its options for `BROKER_URL` (else `defaults.defaultUrl`, else {@link DEFAULT_BROKER_URL}):
 * `nats://host:port`, `amqp://user:password@host:port` (RabbitMQ, on the queue `defaults.queue`, default `worker`),
 * `redis://host:port` (Redis pub/sub), `mqtt://host:port` (MQTT 5) or `tcp://host:port` (Nest's TCP transport, no broker).
 * The same object serves the client (`ClientsModule.register()`) and the server (`connectMicroservice()`). A URL of
 * another scheme, or no URL, is an error naming the variable and its value.
 *
 * @example
 * app.connectMicroservice(readBrokerTransport(process.env));
 */
export function readBrokerTransport(env: NodeJS.ProcessEnv, defaults: BrokerDefaults = {}): ClientProvider {
  const value = brokerUrl(env, defaults);
  const url = URL.canParse(value) ? new URL(value) : undefined;
  const transport = url && SCHEMES[url.protocol];
  if (!url || !transport || (url.protocol === 'tcp:' && !url.port)) {
    throw new Error(`BROKER_URL="${value}" is not a nats://, amqp://, redis://, mqtt:// or tcp://host:port URL`);
  }
  return transport(url, defaults.queue ?? WORKER_QUEUE);
}

function brokerUrl(env: NodeJS.ProcessEnv, defaults: BrokerDefaults): string {
  return env['BROKER_URL']?.trim() || defaults.defaultUrl || DEFAULT_BROKER_URL;
}

/** `BROKER_URL` without its password, for a log line. */
export function describeBroker(env: NodeJS.ProcessEnv, defaults: BrokerDefaults = {}): string {
  const url = new URL(brokerUrl(env, defaults));
  if (url.password) url.password = '***';
  return url.href;
}

/**
 * Connects `app` to the broker of `BROKER_URL` as a microservice (a hybrid app: its HTTP routes and `/metrics` stay)
 * and starts listening to it; `defaults` as for {@link readBrokerTransport}. A bad `BROKER_URL` or an unreachable broker is one log line and exit code 1, as
 * {@link serve} does for a bad `PORT`.
 *
 * @example
 * const app = await NestFactory.create(AppModule);
 * await listenToBroker(app);
 * await serve(app, { port: 3002 });
 */
export async function listenToBroker(app: INestApplication, defaults: BrokerDefaults = {}): Promise<void> {
  try {
    app.connectMicroservice(readBrokerTransport(process.env, defaults), { inheritAppConfig: true });
    await app.startAllMicroservices();
    new Logger('Bootstrap').log(`Listening to ${describeBroker(process.env, defaults)}`);
  } catch (error) {
    reportStartFailure(error);
    await app.close().catch(() => undefined);
    process.exit(1);
  }
}
