import { destination, type LevelWithSilent } from 'pino';
import type { Options } from 'pino-http';
import { redactUrl } from '../http/redact-query';
import { createLogRecordSender } from './log-record-sender';

/** The key of a line's message: `message`, as Nest's own JSON logger writes it (pino's default is `msg`). */
export const MESSAGE_KEY = 'message';

/**
 * The `pinoHttp` options of `nestjs-pino`'s `LoggerModule`, as {@link TelemetryLoggerModule} sets them:
 *
 * - one JSON object per line on stdout, `level` first as its name (`"level":"info"`), the message under
 *   `message`; inside a span, `trace_id`, `span_id` and `trace_flags` (added by `@opentelemetry/instrumentation-pino`,
 *   which `startTelemetry()` enables);
 * - each line written also handed to the OpenTelemetry logs SDK (see `createLogRecordSender`);
 * - no access log (`autoLogging: false`: a line per request costs on every request);
 * - a request, wherever one is logged (the access log, lines during a request when pino-http's middleware runs,
 *   `{ req }` given to a log call), is its id, method and URL, query-string values `REDACTED` as in spans; no
 *   headers, so no credentials (`authorization`, `cookie`, `set-cookie`): see {@link serializeRequest}. pino-http
 *   binds it once per request; its other ways of hiding them (`quietReqLogger`, `redact`) cost several
 *   microseconds per request, measured, logged or not.
 *
 * `overrides` win, except that `formatters` and `hooks` are merged with these (replacing `hooks.streamWrite`
 * stops the records reaching OpenTelemetry).
 */
export function createPinoHttpOptions(level: LevelWithSilent, overrides: Options = {}): Options {
  const messageKey = overrides.messageKey ?? MESSAGE_KEY;
  const errorKey = overrides.errorKey ?? 'err';
  return {
    level,
    messageKey,
    autoLogging: false,
    // One destination for the two loggers nestjs-pino makes (its own and pino-http's). Synchronous, as Nest's
    // logger was: lines stay in order with the rest of stdout, and none is lost when the process exits
    // (`process.exit()` after a failed start, or a crash) while an asynchronous write is under way.
    stream: destination({ dest: 1, sync: true }),
    ...overrides,
    serializers: { req: serializeRequest, res: serializeResponse, ...overrides.serializers },
    formatters: { level: (label) => ({ level: label }), ...overrides.formatters },
    hooks: { streamWrite: createLogRecordSender({ messageKey, errorKey }), ...overrides.hooks },
  };
}

/**
 * A request as a log line carries it: `{ id, method, url }`, the URL's query-string values redacted. Given pino's
 * serialized request (pino-http serializes first) or the request itself (a logger without pino-http). pino-http
 * binds it to the request's logger once per request, so it is kept small: no headers, no parsed query.
 */
export function serializeRequest(request: unknown): unknown {
  if (request === null || typeof request !== 'object') return request;
  const { id, method, url, originalUrl } = request as {
    id?: unknown;
    method?: unknown;
    url?: unknown;
    originalUrl?: unknown;
  };
  const path = typeof originalUrl === 'string' ? originalUrl : url;
  return { id, method, url: typeof path === 'string' ? redactUrl(path) : path };
}

/** A response as the access log carries it (if turned on): its status code, no headers (no `set-cookie`). */
export function serializeResponse(response: unknown): unknown {
  if (response === null || typeof response !== 'object') return response;
  return { statusCode: (response as { statusCode?: unknown }).statusCode };
}
