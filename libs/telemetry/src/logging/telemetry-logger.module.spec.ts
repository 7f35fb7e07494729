import 'reflect-metadata';
import { Controller, Get, type INestApplication, Logger as NestLogger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { dirname, join } from 'node:path';
import request from 'supertest';
import { createPlatformApp, HTTP_PLATFORMS } from '../spec-support/nest-platforms';
import { startTestTelemetry, type TestTelemetry } from '../testing/test-telemetry';
import { TelemetryModule } from '../telemetry.module';
import { TelemetryLoggerModule, type TelemetryLoggerParams } from './telemetry-logger.module';

// nestjs-pino 5 exports its index only; the reset of its process-wide logger is in the file beside it.
const { __resetOutOfContextForTests } = require(join(dirname(require.resolve('nestjs-pino')), 'PinoLogger.js')) as {
  __resetOutOfContextForTests(): void;
};

// pino as `startTelemetry()` leaves it in an app, patched by the instrumentation when it loads: Jest loads
// modules without the require hook the patch needs, so the patch is applied here, for every importer.
jest.mock('pino', () => {
  const pino = jest.requireActual('pino');
  const { createLogInstrumentations } = jest.requireActual('./log-instrumentations');
  const [definition] = createLogInstrumentations()[0].getModuleDefinitions();
  return definition.patch(pino, pino.version);
});

@Controller('orders')
class OrdersController {
  private readonly logger = new NestLogger(OrdersController.name);

  constructor(@InjectPinoLogger(OrdersController.name) private readonly pino: PinoLogger) {}

  @Get('pino')
  viaPino(): string {
    this.pino.debug('via pino');
    return 'ok';
  }

  @Get()
  list(): string[] {
    this.logger.debug('listing orders');
    this.logger.log('listed');
    return [];
  }
}

describe.each(HTTP_PLATFORMS)('TelemetryLoggerModule on %s', (platform) => {
  let logRecords: InMemoryLogRecordExporter;
  let telemetry: TestTelemetry;
  let app: INestApplication | undefined;
  let written: string[];
  const lines = (): Array<Record<string, unknown>> => written.map((line) => JSON.parse(line));

  /** An app as main.ts makes it: TelemetryLoggerModule's logger is Nest's from the start. */
  async function startApp(logLevel?: string, params: TelemetryLoggerParams = {}): Promise<INestApplication> {
    if (logLevel === undefined) delete process.env['LOG_LEVEL'];
    else process.env['LOG_LEVEL'] = logLevel;
    const stream = { write: (line: string) => void written.push(line) };
    const imports = [
      TelemetryModule.forRoot(),
      TelemetryLoggerModule.forRoot({ ...params, pinoHttp: { stream, ...params.pinoHttp } }),
    ];
    const logger = TelemetryLoggerModule.createLogger();
    const moduleRef = await Test.createTestingModule({ imports, controllers: [OrdersController] })
      .setLogger(logger)
      .compile();
    app = await createPlatformApp(moduleRef, platform, { logger });
    return app;
  }

  beforeEach(() => {
    written = [];
    // nestjs-pino keeps its first logger for the process: one app per process, but several per spec.
    __resetOutOfContextForTests();
    // A new exporter each time: shutting telemetry down stops the last one.
    logRecords = new InMemoryLogRecordExporter();
    telemetry = startTestTelemetry({ logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: logRecords })] });
  });
  afterEach(async () => {
    delete process.env['LOG_LEVEL'];
    // Closing the app stops telemetry too (TelemetryModule); the next test starts both again.
    await app?.close();
    await telemetry.shutdown();
    app = undefined;
  });

  it("writes Nest's own lines through pino from the first: JSON, level name first, text under message, context kept", async () => {
    await startApp();
    expect(written[0]).toMatch(/^\{"level":"info","time":\d+,/);
    expect(lines()).toContainEqual(
      expect.objectContaining({ context: 'InstanceLoader', message: 'TelemetryLoggerModule dependencies initialized' }),
    );
    expect(lines()).toContainEqual(
      expect.objectContaining({ context: 'NestApplication', message: 'Nest application successfully started' }),
    );
    expect(lines().filter((line) => line['level'] !== 'info')).toEqual([]);
  });

  it("writes nestjs-pino's injected PinoLogger to the same lines", async () => {
    const server = (await startApp('debug')).getHttpServer();
    written = [];
    await request(server).get('/orders/pino').expect(200);
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'debug', context: 'OrdersController', message: 'via pino' }),
    ]);
  });

  it('writes no line per request, and at LOG_LEVEL=info none of its debug lines', async () => {
    const server = (await startApp()).getHttpServer();
    written = [];
    await request(server).get('/orders').expect(200);
    await request(server).get('/orders?page=2').expect(200);
    expect(lines().map((line) => [line['level'], line['context'], line['message']])).toEqual([
      ['info', 'OrdersController', 'listed'],
      ['info', 'OrdersController', 'listed'],
    ]);
  });

  it("ties a request's lines and records to its span, at LOG_LEVEL=debug", async () => {
    const server = (await startApp('debug')).getHttpServer();
    written = [];
    logRecords.reset();
    await request(server).get('/orders').set('authorization', 'Bearer s3cret').expect(200);
    const [span] = await telemetry.spans.waitFor(1);
    const { traceId, spanId } = span.spanContext();
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'debug', message: 'listing orders', trace_id: traceId, span_id: spanId }),
      expect.objectContaining({ level: 'info', message: 'listed', trace_id: traceId, trace_flags: '01' }),
    ]);
    // No pino-http middleware by default: the trace ids tie the lines to the request.
    expect(lines()[0]).not.toHaveProperty('req');
    const records = logRecords.getFinishedLogRecords();
    expect(records.map((record) => [record.severityText, record.body, record.spanContext?.spanId])).toEqual([
      ['DEBUG', 'listing orders', spanId],
      ['INFO', 'listed', spanId],
    ]);
    expect(written.join('') + JSON.stringify(records.map((record) => record.attributes))).not.toContain('s3cret');
  });

  it('writes an access log when asked for, a request there as its id, method and URL, query values redacted', async () => {
    const server = (await startApp('info', { pinoHttp: { autoLogging: true } })).getHttpServer();
    written = [];
    await request(server).get('/orders?token=t0ken').set('cookie', 'session=c00kie').expect(200);
    // pino-http's own counter on express; Fastify's request id, which pino-http takes when the request has one.
    const id = platform === 'fastify' ? 'req-1' : 1;
    expect(lines()).toEqual([
      expect.objectContaining({ message: 'listed', req: { id, method: 'GET', url: '/orders?token=REDACTED' } }),
      expect.objectContaining({
        level: 'info',
        message: 'request completed',
        req: { id, method: 'GET', url: '/orders?token=REDACTED' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
    expect(written.join('')).not.toMatch(/t0ken|c00kie/);
  });

  it('warns once, naming the value, when LOG_LEVEL is not a level, and keeps info', async () => {
    const server = (await startApp('chatty')).getHttpServer();
    await request(server).get('/orders').expect(200);
    const warnings = lines().filter((line) => line['level'] === 'warn');
    expect(warnings).toEqual([
      expect.objectContaining({
        context: 'TelemetryLoggerModule',
        message: 'LOG_LEVEL="chatty" is not a log level (trace, debug, info, warn, error, fatal, silent); using info',
      }),
    ]);
    expect(lines()[0]).toEqual(warnings[0]);
    expect(lines().map((line) => line['message'])).toContain('listed');
    expect(lines().map((line) => line['message'])).not.toContain('listing orders');
  });

  it("logs one warning or error a minute per context of Nest's microservice transports, every other line as it comes", async () => {
    await startApp();
    written = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      new NestLogger('ClientProxy').error('Disconnected from RMQ. Trying to reconnect.');
      new NestLogger('Server').error('connect ECONNREFUSED 127.0.0.1:5672');
      new NestLogger(OrdersController.name).error('an order failed');
    }
    expect(lines().map((line) => `${line['context']}: ${line['message']}`)).toEqual([
      'ClientProxy: Disconnected from RMQ. Trying to reconnect.',
      'Server: connect ECONNREFUSED 127.0.0.1:5672',
      'OrdersController: an order failed',
      'OrdersController: an order failed',
      'OrdersController: an order failed',
    ]);
  });

  it('writes nothing at LOG_LEVEL=silent', async () => {
    await request((await startApp('silent')).getHttpServer())
      .get('/orders')
      .expect(200);
    expect(written).toEqual([]);
  });
});
