import { Inject, Injectable, Logger } from '@nestjs/common';
import { type ClientProxy } from '@nestjs/microservices';
import { catchError, firstValueFrom, throwError, timeout } from 'rxjs';
import { UPSTREAM_CONFIG, type UpstreamConfig } from './upstream.config';
import { UpstreamTimeoutError, UpstreamUnavailableError } from './upstream-errors';

/** The injection token of the worker's `ClientProxy`, registered on `BROKER_URL` by UpstreamModule. */
export const WORKER_CLIENT = 'WORKER_CLIENT';

/** The shortest time between two log lines about the worker being unreachable: one line, not one per request. */
const WARNING_INTERVAL_MS = 60_000;

/** The worker's answer to `health.check`, passed through as it came. */
export type WorkerAnswer = Record<string, unknown>;

/**
 * Asks the worker over the broker. The telemetry library traces the `send()` (a PRODUCER span, with the trace
 * context in the message's headers), so the gateway, the broker hop and the worker make one trace.
 */
@Injectable()
export class WorkerClient {
  private readonly logger = new Logger(WorkerClient.name);
  private lastWarningAt = -Infinity;

  constructor(
    @Inject(WORKER_CLIENT) private readonly client: ClientProxy,
    @Inject(UPSTREAM_CONFIG) private readonly config: UpstreamConfig,
  ) {}

  check(): Promise<WorkerAnswer> {
    const { timeoutMs } = this.config;
    return firstValueFrom(
      this.client.send<WorkerAnswer>('health.check', { from: 'gateway-api' }).pipe(
        timeout({
          first: timeoutMs,
          with: () => throwError(() => new UpstreamTimeoutError(`the worker did not answer within ${timeoutMs} ms`)),
        }),
        catchError((error: unknown) => throwError(() => this.warned(asUpstreamError(error)))),
      ),
    );
  }

  /** `error`, logged unless another was within the last minute: the request's span carries each one. */
  private warned(error: Error): Error {
    const now = Date.now();
    if (now - this.lastWarningAt >= WARNING_INTERVAL_MS) {
      this.lastWarningAt = now;
      this.logger.warn(`${error.message} (the next minute's failures are on their spans, not logged)`);
    }
    return error;
  }
}

/** Our timeout as it is; anything else (the broker refusing, the handler's error) as the worker being unavailable. */
function asUpstreamError(error: unknown): Error {
  if (error instanceof UpstreamTimeoutError) return error;
  const message = error instanceof Error ? error.message : (error as { message?: string } | null)?.message;
  return new UpstreamUnavailableError(`the worker is unreachable: ${message ?? String(error)}`);
}
