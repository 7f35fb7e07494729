import { trace } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { getTelemetry, startTelemetry } from '../sdk/start-telemetry';
import { readLogLevels } from './log-levels';
import { TelemetryLogger } from './telemetry-logger';

describe('TelemetryLogger', () => {
  const logRecords = new InMemoryLogRecordExporter();
  let lines: string[];
  let writeSpy: jest.SpyInstance;

  beforeAll(() => {
    startTelemetry({
      spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
      logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: logRecords })],
      runtimeMetrics: false,
    });
  });
  afterAll(() => getTelemetry()?.shutdown());
  beforeEach(() => {
    lines = [];
    logRecords.reset();
    writeSpy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  });
  afterEach(() => writeSpy.mockRestore());

  const parsed = (): Array<Record<string, unknown>> => lines.map((line) => JSON.parse(line));

  it('writes one JSON line per message carrying the ids of the active span', () => {
    const logger = new TelemetryLogger();
    let traceId = '';
    let spanId = '';
    trace.getTracer('test').startActiveSpan('work', (span) => {
      ({ traceId, spanId } = span.spanContext());
      logger.log('inside', 'Orders');
      span.end();
    });
    expect(parsed()).toEqual([
      expect.objectContaining({
        level: 'log',
        message: 'inside',
        context: 'Orders',
        trace_id: traceId,
        span_id: spanId,
      }),
    ]);
  });

  it('writes no ids when no span is active', () => {
    new TelemetryLogger().log('outside');
    expect(parsed()[0]).toMatchObject({ message: 'outside' });
    expect(parsed()[0]).not.toHaveProperty('trace_id');
  });

  it('hands each record to the OpenTelemetry logs SDK, tied to the active span', () => {
    const logger = new TelemetryLogger();
    let traceId = '';
    trace.getTracer('test').startActiveSpan('work', (span) => {
      traceId = span.spanContext().traceId;
      logger.warn({ order: 7 }, 'Orders');
      span.end();
    });
    const [record] = logRecords.getFinishedLogRecords();
    expect(record.severityText).toBe('WARN');
    expect(record.body).toBe('{"order":7}');
    expect(record.attributes).toMatchObject({ 'nest.context': 'Orders' });
    expect(record.spanContext?.traceId).toBe(traceId);
  });

  it('follows LOG_LEVEL: debug lines only when asked for', () => {
    process.env['LOG_LEVEL'] = 'debug';
    try {
      new TelemetryLogger().debug('shown');
    } finally {
      delete process.env['LOG_LEVEL'];
    }
    new TelemetryLogger().debug('hidden');
    expect(parsed().map((line) => line['message'])).toEqual(['shown']);
  });

  it('warns once, naming the value, when LOG_LEVEL is not a level, and keeps info', () => {
    process.env['LOG_LEVEL'] = 'chatty';
    try {
      const logger = new TelemetryLogger();
      logger.debug('hidden');
      logger.log('shown');
    } finally {
      delete process.env['LOG_LEVEL'];
    }
    expect(parsed().map((line) => line['message'])).toEqual([
      expect.stringContaining('LOG_LEVEL="chatty" is not a log level'),
      'shown',
    ]);
  });
});

describe('readLogLevels', () => {
  it.each([
    [undefined, ['log', 'warn', 'error', 'fatal']],
    ['verbose', ['verbose', 'debug', 'log', 'warn', 'error', 'fatal']],
    ['ERROR', ['error', 'fatal']],
    ['silent', []],
  ])('%p lets through %p', (value, levels) => {
    expect(readLogLevels(value)).toEqual({ levels });
  });
});
