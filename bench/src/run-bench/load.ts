import autocannon from 'autocannon';
import { percentile } from '../shared/statistics';

export interface LoadOptions {
  /** Base URL of the app, e.g. `http://127.0.0.1:40123`. */
  baseUrl: string;
  /** Path of every request, or a function giving each request its own path. */
  path: string | (() => string);
  connections: number;
  /** Either a duration or a fixed number of requests. */
  seconds?: number;
  requests?: number;
  /** A request without a response for this long is an error (default 10 s; longer under valgrind). */
  timeoutSeconds?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  /** Latencies measured from each response (not autocannon's whole-millisecond histogram). */
  p50Ms: number;
  p99Ms: number;
  responses: number;
  /** Responses by HTTP status code. */
  statusCodes: Record<number, number>;
  non2xx: number;
  errors: number;
  seconds: number;
}

/** A closed-loop load with autocannon's programmatic API: `connections` keep-alive connections, no pipelining. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCodes: Record<number, number> = {};
  const pathOf = options.path;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        pipelining: 1,
        timeout: options.timeoutSeconds ?? 10,
        ...(options.seconds !== undefined ? { duration: options.seconds } : { amount: options.requests }),
        requests: [
          typeof pathOf === 'string'
            ? { method: 'GET', path: pathOf }
            : { method: 'GET', setupRequest: (request) => ({ ...request, path: pathOf() }) },
        ],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
      latencies.push(responseTimeMs);
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    });
  });
  return {
    requestsPerSecond: latencies.length / result.duration,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    responses: latencies.length,
    statusCodes,
    non2xx: result.non2xx,
    errors: result.errors,
    seconds: result.duration,
  };
}
