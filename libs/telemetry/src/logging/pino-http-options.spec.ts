import { createServer, IncomingMessage, type Server } from 'node:http';
import { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { trace, TraceFlags } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import pino from 'pino';
import { pinoHttp, type Options } from 'pino-http';
import { startTelemetry } from '../sdk/start-telemetry';
import { getTelemetry } from '../state/started-telemetry';
import { createLogInstrumentations } from './log-instrumentations';
import { createPinoHttpOptions, serializeRequest, serializeResponse } from './pino-http-options';

/** The lines a logger writes, parsed. */
class Lines {
  readonly written: string[] = [];
  readonly stream = { write: (line: string) => void this.written.push(line) };
  get parsed(): Array<Record<string, unknown>> {
    return this.written.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/**
 * pino as `startTelemetry()` leaves it in an app: patched by the instrumentation when it loads. Jest loads
 * modules without the require hook the patch needs, so the spec applies the instrumentation's patch itself.
 */
const instrumentedPino = ((): typeof pino => {
  const [definition] = createLogInstrumentations()[0].getModuleDefinitions();
  return definition.patch?.(pino, pino.version) as typeof pino;
})();

describe('createPinoHttpOptions', () => {
  const logRecords = new InMemoryLogRecordExporter();
  let lines: Lines;
  const logger = (level: pino.LevelWithSilent = 'info', overrides: Options = {}): pino.Logger => {
    const options = createPinoHttpOptions(level, { stream: lines.stream, ...overrides });
    return instrumentedPino(options, options.stream);
  };

  beforeAll(() => {
    startTelemetry({
      spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
      logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: logRecords })],
      runtimeMetrics: false,
    });
  });
  afterAll(() => getTelemetry()?.shutdown());
  beforeEach(() => {
    lines = new Lines();
    logRecords.reset();
  });

  it('writes one JSON line per call, its level name first and its text under "message"', () => {
    logger().info({ context: 'Orders' }, 'placed');
    expect(lines.written).toHaveLength(1);
    expect(lines.written[0]).toMatch(/^\{"level":"info","time":\d+,/);
    expect(lines.written[0].endsWith('\n')).toBe(true);
    expect(lines.parsed[0]).toMatchObject({ context: 'Orders', message: 'placed', pid: process.pid });
  });

  it('writes the lines at its level and above only', () => {
    const atInfo = logger('info');
    atInfo.debug('hidden');
    atInfo.warn('shown');
    logger('debug').debug('shown at debug');
    logger('silent').fatal('never');
    expect(lines.parsed.map((line) => [line['level'], line['message']])).toEqual([
      ['warn', 'shown'],
      ['debug', 'shown at debug'],
    ]);
  });

  it('carries trace_id, span_id and trace_flags on each line inside a span, and none outside', () => {
    const log = logger();
    let spanContext = { traceId: '', spanId: '', traceFlags: TraceFlags.NONE };
    trace.getTracer('test').startActiveSpan('work', (span) => {
      spanContext = span.spanContext();
      log.info('inside');
      span.end();
    });
    log.info('outside');
    const [inside, outside] = lines.parsed;
    expect(inside).toMatchObject({ trace_id: spanContext.traceId, span_id: spanContext.spanId, trace_flags: '01' });
    expect(Object.keys(outside)).not.toContain('trace_id');
  });

  it('hands each line written to the logs SDK, with OpenTelemetry severity names, tied to the active span', () => {
    const log = logger('debug');
    let traceId = '';
    trace.getTracer('test').startActiveSpan('work', (span) => {
      traceId = span.spanContext().traceId;
      log.debug({ context: 'Orders' }, 'checked');
      log.error({ err: new TypeError('boom') }, 'failed');
      span.end();
    });
    logger('info').debug('not written, not sent');
    const records = logRecords.getFinishedLogRecords();
    expect(records.map((record) => [record.severityText, record.body, record.spanContext?.traceId])).toEqual([
      ['DEBUG', 'checked', traceId],
      ['ERROR', 'failed', traceId],
    ]);
    expect(records[0].attributes).toEqual({ context: 'Orders' });
    expect(records[1].attributes).toMatchObject({ 'exception.type': 'TypeError', 'exception.message': 'boom' });
  });

  it("merges the caller's formatters and hooks with its own", () => {
    const log = logger('info', { formatters: { bindings: () => ({ service: 'orders' }) } });
    log.info('hello');
    expect(lines.written[0]).toMatch(/^\{"level":"info",/);
    expect(lines.parsed[0]).toMatchObject({ service: 'orders', message: 'hello' });
    expect(lines.parsed[0]).not.toHaveProperty('pid');
    expect(logRecords.getFinishedLogRecords()).toHaveLength(1);
  });

  describe('behind pino-http', () => {
    let server: Server;
    let url = '';
    const serve = async (overrides: Options = {}): Promise<void> => {
      const options = createPinoHttpOptions('info', { stream: lines.stream, ...overrides });
      const middleware = pinoHttp(options);
      server = createServer((request, response) => {
        middleware(request, response);
        request.log.info('handling');
        response.end('ok');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    const get = (path: string): Promise<string> =>
      fetch(`${url}${path}`, { headers: { authorization: 'Bearer s3cret', cookie: 'session=c00kie' } }).then(
        (response) => response.text(),
      );
    afterEach(() => new Promise((resolve) => server.close(resolve)));

    it('writes no access log; lines during a request carry its id, method and URL, query values redacted', async () => {
      await serve();
      await get('/orders?token=t0ken');
      await get('/orders');
      expect(lines.parsed).toEqual([
        expect.objectContaining({ req: { id: 1, method: 'GET', url: '/orders?token=REDACTED' }, message: 'handling' }),
        expect.objectContaining({ req: { id: 2, method: 'GET', url: '/orders' }, message: 'handling' }),
      ]);
      expect(lines.written.join('')).not.toMatch(/t0ken|s3cret|c00kie/);
    });

    it('writes an access log asked for without headers, so without credentials, and with query values redacted', async () => {
      await serve({ autoLogging: true });
      await get('/orders?token=t0ken&page=2');
      const access = lines.parsed.find((line) => line['message'] === 'request completed');
      expect(access).toMatchObject({
        req: { id: 1, method: 'GET', url: '/orders?token=REDACTED&page=REDACTED' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      });
      expect(lines.written.join('')).not.toMatch(/t0ken|s3cret|c00kie/);
      expect(JSON.stringify(logRecords.getFinishedLogRecords().map((record) => record.attributes))).not.toMatch(
        /t0ken|s3cret|c00kie/,
      );
    });
  });
});

describe('serializeRequest', () => {
  it('keeps id, method and URL of a request, its query values redacted, and nothing else', () => {
    const request = new IncomingMessage(new Socket());
    Object.assign(request, {
      method: 'POST',
      url: '/orders?token=t0ken&draft',
      headers: { authorization: 'Bearer s3cret' },
      id: 3,
    });
    expect(serializeRequest(request)).toEqual({ id: 3, method: 'POST', url: '/orders?token=REDACTED&draft' });
  });

  it("prefers express's originalUrl, and takes pino's serialized request as well", () => {
    expect(serializeRequest({ method: 'GET', url: '/b', originalUrl: '/a/b?c=d' })).toEqual({
      id: undefined,
      method: 'GET',
      url: '/a/b?c=REDACTED',
    });
    expect(serializeRequest({ id: 1, method: 'GET', url: '/a?b=c', headers: { cookie: 'x' } })).toEqual({
      id: 1,
      method: 'GET',
      url: '/a?b=REDACTED',
    });
  });
});

describe('serializeResponse', () => {
  it('keeps the status code only', () => {
    expect(serializeResponse({ statusCode: 201, headers: { 'set-cookie': 'session=x' } })).toEqual({ statusCode: 201 });
  });
});
