import { Logger as PinoNestLogger } from 'nestjs-pino';

/**
 * The contexts `@nestjs/microservices` logs under: its clients and servers. While a broker is down they log every
 * failed reconnect, some each second and with a stack trace; the requests that fail meanwhile carry the error on
 * their spans.
 */
const TRANSPORT_CONTEXTS = new Set([
  'ClientProxy',
  'ClientTCP',
  'ClientRedis',
  'ClientNats',
  'ClientMqtt',
  'ClientRMQ',
  'ClientKafka',
  'Server',
  'ServerTCP',
  'ServerRedis',
  'ServerNats',
  'ServerMqtt',
  'ServerRMQ',
  'ServerKafka',
]);

/** The shortest time between two warnings or errors of one transport context that are logged. */
export const TRANSPORT_LOG_INTERVAL_MS = 60_000;

/** Which warnings and errors of the transports get logged: one per context per interval, the rest counted. */
export class TransportLogLimit {
  private readonly loggedAt = new Map<string, number>();
  private readonly dropped = new Map<string, number>();

  constructor(
    private readonly intervalMs = TRANSPORT_LOG_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `undefined` to drop a line of `context`, else how many of its lines were dropped since the last one logged
   * (always 0 for a context that is not a transport's).
   */
  admit(context: unknown): number | undefined {
    if (typeof context !== 'string' || !TRANSPORT_CONTEXTS.has(context)) return 0;
    const now = this.now();
    const last = this.loggedAt.get(context);
    if (last !== undefined && now - last < this.intervalMs) {
      this.dropped.set(context, (this.dropped.get(context) ?? 0) + 1);
      return undefined;
    }
    this.loggedAt.set(context, now);
    const dropped = this.dropped.get(context) ?? 0;
    this.dropped.delete(context);
    return dropped;
  }
}

/**
 * nestjs-pino's Nest logger, with the warnings and errors of Nest's microservice transports limited to one per
 * context a minute (a line logged after some were dropped says how many); every other line as it comes.
 */
export class TransportLimitedLogger extends PinoNestLogger {
  private readonly transportLogLimit = new TransportLogLimit();

  override warn(message: unknown, ...optionalParams: unknown[]): void {
    const dropped = this.transportLogLimit.admit(optionalParams.at(-1));
    if (dropped !== undefined) super.warn(withDropped(message, dropped), ...optionalParams);
  }

  override error(message: unknown, ...optionalParams: unknown[]): void {
    const dropped = this.transportLogLimit.admit(optionalParams.at(-1));
    if (dropped !== undefined) super.error(withDropped(message, dropped), ...optionalParams);
  }
}

function withDropped(message: unknown, dropped: number): unknown {
  if (dropped === 0 || typeof message !== 'string') return message;
  return `${message} (and ${dropped} more from this transport in the last minute, not logged)`;
}
