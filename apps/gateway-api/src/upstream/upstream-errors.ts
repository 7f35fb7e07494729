import { BadGatewayException, GatewayTimeoutException, type HttpException } from '@nestjs/common';

/** An upstream (health-api, the worker) could not be reached, or answered with an error. */
export class UpstreamUnavailableError extends Error {
  override readonly name = 'UpstreamUnavailableError';
}

/** An upstream did not answer within the timeout. */
export class UpstreamTimeoutError extends Error {
  override readonly name = 'UpstreamTimeoutError';
}

/** An upstream's failure as the gateway answers it: 504 for a timeout, 502 for anything else. */
export function toHttpException(error: unknown): HttpException {
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof UpstreamTimeoutError
    ? new GatewayTimeoutException(message)
    : new BadGatewayException(message);
}
