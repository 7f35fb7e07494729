import { trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { startTelemetry } from '../sdk/start-telemetry';
import { getTelemetry } from '../state/started-telemetry';
import { createLogRecordSender, toLogRecord } from './log-record-sender';

const KEYS = { messageKey: 'message', errorKey: 'err' };
const line = (record: Record<string, unknown>): string => `${JSON.stringify(record)}\n`;

describe('toLogRecord', () => {
  it.each([
    ['trace', SeverityNumber.TRACE, 'TRACE'],
    ['debug', SeverityNumber.DEBUG, 'DEBUG'],
    ['info', SeverityNumber.INFO, 'INFO'],
    ['warn', SeverityNumber.WARN, 'WARN'],
    ['error', SeverityNumber.ERROR, 'ERROR'],
    ['fatal', SeverityNumber.FATAL, 'FATAL'],
  ])('gives a %s line the severity %p, %p', (level, severityNumber, severityText) => {
    expect(toLogRecord(line({ level, message: 'm' }), KEYS)).toMatchObject({ severityNumber, severityText });
  });

  it('makes the message the body and the other fields attributes, leaving out what the record carries otherwise', () => {
    const record = toLogRecord(
      line({
        level: 'info',
        time: 1_700_000_000_123,
        pid: 42,
        hostname: 'box',
        reqId: 7,
        trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
        span_id: '00f067aa0ba902b7',
        trace_flags: '01',
        context: 'Orders',
        order: { id: 9 },
        message: 'placed',
      }),
      KEYS,
    );
    expect(record).toEqual({
      timestamp: 1_700_000_000_123,
      observedTimestamp: 1_700_000_000_123,
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      body: 'placed',
      attributes: { reqId: 7, context: 'Orders', order: { id: 9 } },
    });
  });

  it("makes pino's serialized error the exception, its type the exception's name", () => {
    const err = { type: 'TypeError', message: 'boom', stack: 'TypeError: boom\n    at x' };
    expect(toLogRecord(line({ level: 'error', err, message: 'failed' }), KEYS)?.exception).toEqual({
      ...err,
      name: 'TypeError',
    });
  });

  it('follows other message and error keys', () => {
    const record = toLogRecord(line({ level: 'warn', msg: 'hi', error: 'bad' }), {
      messageKey: 'msg',
      errorKey: 'error',
    });
    expect(record).toMatchObject({ body: 'hi', exception: 'bad', attributes: {} });
  });

  it('keeps a level it does not know, and a time that is not epoch milliseconds, as attributes', () => {
    const record = toLogRecord(line({ level: 'notice', time: '2024-05-17T22:03:25.969Z', message: 'm' }), KEYS);
    expect(record?.severityNumber).toBeUndefined();
    expect(record?.attributes).toEqual({ level: 'notice', time: '2024-05-17T22:03:25.969Z' });
    expect(record?.timestamp).toEqual(expect.any(Number));
  });

  it.each(['not json\n', '[1,2]\n', 'null\n', '"text"\n'])('gives no record for %p', (text) => {
    expect(toLogRecord(text, KEYS)).toBeUndefined();
  });
});

describe('createLogRecordSender', () => {
  const logRecords = new InMemoryLogRecordExporter();
  const send = createLogRecordSender(KEYS);

  beforeAll(() => {
    startTelemetry({
      spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
      logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: logRecords })],
      runtimeMetrics: false,
    });
  });
  afterAll(() => getTelemetry()?.shutdown());
  beforeEach(() => logRecords.reset());

  it('hands the line to the logs SDK, tied to the active span, and returns it unchanged', () => {
    const text = line({ level: 'debug', message: 'inside', context: 'Orders' });
    let spanContext;
    let returned = '';
    trace.getTracer('test').startActiveSpan('work', (span) => {
      spanContext = span.spanContext();
      returned = send(text);
      span.end();
    });
    expect(returned).toBe(text);
    const [record] = logRecords.getFinishedLogRecords();
    expect(record).toMatchObject({ severityText: 'DEBUG', body: 'inside', attributes: { context: 'Orders' } });
    expect(record.spanContext).toEqual(spanContext);
    expect(record.instrumentationScope.name).toBe('@obs/telemetry');
  });

  it('sends nothing for a line that is not a JSON object, and still returns it', () => {
    expect(send('plain\n')).toBe('plain\n');
    expect(logRecords.getFinishedLogRecords()).toEqual([]);
  });
});

describe('createLogRecordSender without a log exporter', () => {
  afterAll(() => getTelemetry()?.shutdown());

  it.each([
    ['not started', () => undefined],
    ['started with no log exporter', () => startTelemetry({ logRecordProcessors: [], runtimeMetrics: false })],
  ])('does not even parse the line when the SDK is %s', (_label, start) => {
    start();
    const parse = jest.spyOn(JSON, 'parse');
    try {
      const text = line({ level: 'info', message: 'm' });
      expect(createLogRecordSender(KEYS)(text)).toBe(text);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });
});
