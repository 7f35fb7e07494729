// The second entry point of @obs/lifecycle, `@obs/lifecycle/broker`: how the apps of this workspace reach each other
// over a message broker. Apart from index.ts so that an app without microservices never loads @nestjs/microservices.
import { type INestApplication, Logger } from '@nestjs/common';
import { type ClientProvider, Transport } from '@nestjs/microservices';
import { reportStartFailure } from './serve';

/** The broker `BROKER_URL` names when it is not set: a `nats-server` on this machine, with its default port. */
export const DEFAULT_BROKER_URL = 'nats://127.0.0.1:4222';

/** The queue RabbitMQ delivers the worker's messages to. */
export const WORKER_QUEUE = 'worker';

const SCHEMES: Record<string, (url: URL) => ClientProvider> = {
  'nats:': (url) => ({ transport: Transport.NATS, options: { servers: [url.href] } }),
  'amqp:': (url) => ({ transport: Transport.RMQ, options: { urls: [url.href], queue: WORKER_QUEUE } }),
  'tcp:': (url) => ({ transport: Transport.TCP, options: { host: url.hostname, port: Number(url.port) } }),
};

/**
 * The Nest transport and its options for `BROKER_URL` (else {@link DEFAULT_BROKER_URL}): `nats://host:port`,
 * `amqp://user:password@host:port` (RabbitMQ, queue `worker`) or `tcp://host:port` (Nest's TCP transport, no broker).
 * The same object serves the client (`ClientsModule.register()`) and the server (`connectMicroservice()`). A URL of
 * another scheme, or no URL, is an error naming the variable and its value.
 *
 * @example
 * app.connectMicroservice(readBrokerTransport(process.env));
 */
export function readBrokerTransport(env: NodeJS.ProcessEnv): ClientProvider {
  const value = env['BROKER_URL']?.trim() || DEFAULT_BROKER_URL;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  const transport = url && SCHEMES[url.protocol];
  if (!url || !transport || (url.protocol === 'tcp:' && !url.port)) {
    throw new Error(`BROKER_URL="${value}" is not a nats://, amqp:// or tcp://host:port URL`);
  }
  return transport(url);
}

/** `BROKER_URL` without its password, for a log line. */
export function describeBroker(env: NodeJS.ProcessEnv): string {
  const url = new URL(env['BROKER_URL']?.trim() || DEFAULT_BROKER_URL);
  if (url.password) url.password = '***';
  return url.href;
}

/**
 * Connects `app` to the broker of `BROKER_URL` as a microservice (a hybrid app: its HTTP routes and `/metrics` stay)
 * and starts listening to it. A bad `BROKER_URL` or an unreachable broker is one log line and exit code 1, as
 * {@link serve} does for a bad `PORT`.
 *
 * @example
 * const app = await NestFactory.create(AppModule);
 * await listenToBroker(app);
 * await serve(app, { port: 3002 });
 */
export async function listenToBroker(app: INestApplication): Promise<void> {
  try {
    app.connectMicroservice(readBrokerTransport(process.env), { inheritAppConfig: true });
    await app.startAllMicroservices();
    new Logger('Bootstrap').log(`Listening to ${describeBroker(process.env)}`);
  } catch (error) {
    reportStartFailure(error);
    await app.close().catch(() => undefined);
    process.exit(1);
  }
}
