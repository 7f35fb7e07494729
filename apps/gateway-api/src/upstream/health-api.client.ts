import { get } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { Span } from '@obs/telemetry';
import { SpanKind } from '@opentelemetry/api';
import { UPSTREAM_CONFIG, type UpstreamConfig } from './upstream.config';
import { UpstreamTimeoutError, UpstreamUnavailableError } from './upstream-errors';

/** An answer of health-api's `/healthz`, passed through as it came. */
export type HealthzAnswer = Record<string, unknown>;

/** Largest answer accepted from health-api: a health answer is small; anything bigger is a fault. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Calls health-api over plain `http` (which OpenTelemetry instruments: a CLIENT span, and the W3C
 * `traceparent` and `baggage` headers that make both services one trace).
 */
@Injectable()
export class HealthApiClient {
  constructor(@Inject(UPSTREAM_CONFIG) private readonly config: UpstreamConfig) {}

  @Span('health-api.healthz', { kind: SpanKind.INTERNAL })
  healthz(): Promise<HealthzAnswer> {
    const url = new URL('/healthz', this.config.healthApiUrl);
    return new Promise((resolve, reject) => {
      const request = get(
        url,
        { timeout: this.config.timeoutMs, headers: { accept: 'application/json' } },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
            if (body.length > MAX_BODY_BYTES)
              request.destroy(new UpstreamUnavailableError('health-api answered too much'));
          });
          response.on('end', () => {
            if (response.statusCode !== 200) {
              reject(new UpstreamUnavailableError(`health-api answered ${response.statusCode}`));
              return;
            }
            try {
              resolve(JSON.parse(body) as HealthzAnswer);
            } catch {
              reject(new UpstreamUnavailableError('health-api answered something that is not JSON'));
            }
          });
        },
      );
      request.on('timeout', () =>
        request.destroy(new UpstreamTimeoutError(`health-api did not answer within ${this.config.timeoutMs} ms`)),
      );
      request.on('error', (error: NodeJS.ErrnoException) => reject(asUpstreamError(error)));
    });
  }
}

/** Our own errors as they are; a socket error (`ECONNREFUSED`…) as health-api being unreachable. */
function asUpstreamError(error: NodeJS.ErrnoException): Error {
  if (error instanceof UpstreamTimeoutError || error instanceof UpstreamUnavailableError) return error;
  return new UpstreamUnavailableError(`health-api is unreachable: ${error.code ?? error.message}`);
}
