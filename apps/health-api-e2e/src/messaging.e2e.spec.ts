import { AppProcess, HTTP_PLATFORMS } from './support/app-process';
import { BROKERS, type RunningBroker, startBroker } from './support/brokers';
import { otlpJsonEnv } from './support/otlp-env';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { waitFor } from './support/wait-for';

const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_SERVER = 2;
const SPAN_KIND_PRODUCER = 4;
const SPAN_KIND_CONSUMER = 5;
const STATUS_ERROR = 2;

/** The `messaging.system` each broker's spans carry. */
const MESSAGING_SYSTEM = { nats: 'nats', rabbitmq: 'rabbitmq', redis: 'redis', mqtt: 'mqtt' } as const;

describe.each(BROKERS)('gateway-api → %s → worker', (brokerName) => {
  describe.each(HTTP_PLATFORMS)('on %s', (platform) => {
    const receiver = new OtlpReceiver();
    let broker: RunningBroker | undefined;
    let worker: AppProcess | undefined;
    let gateway: AppProcess | undefined;

    beforeAll(async () => {
      const endpoint = await receiver.start();
      broker = await startBroker(brokerName);
      const env = otlpJsonEnv(endpoint, {
        OTEL_BSP_SCHEDULE_DELAY: '100',
        BROKER_URL: broker.url,
        HTTP_PLATFORM: platform,
      });
      worker = await AppProcess.start(env, 'worker');
      gateway = await AppProcess.start({ ...env, HEALTH_API_TIMEOUT_MS: '3000' }, 'gateway-api');
    }, 120_000);
    afterAll(async () => {
      await gateway?.stop();
      await worker?.stop();
      await broker?.stop();
      await receiver.stop();
    });

    function gatewayApp(): AppProcess {
      if (!gateway) throw new Error('gateway-api did not start');
      return gateway;
    }

    it('answers with the worker’s reply and makes one trace: SERVER → PRODUCER → CONSUMER → the handler’s span', async () => {
      const response = await gatewayApp().get('/upstream/worker');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        upstream: 'worker',
        answer: { status: 'ok', checkedBy: 'worker', askedBy: 'gateway-api' },
      });

      const server = await waitFor('the gateway server span', () =>
        receiver.spans.find((span) => span.name === 'GET /upstream/worker'),
      );
      const trace = await waitFor('the whole trace', () => {
        const spans = receiver.spans.filter((span) => span.traceId === server.traceId);
        return spans.length >= 4 ? spans : undefined;
      });
      const childOf = (parent: ReceivedSpan | undefined): ReceivedSpan | undefined =>
        parent && trace.find((span) => span.parentSpanId === parent.spanId);

      expect(server).toMatchObject({ kind: SPAN_KIND_SERVER, parentSpanId: '' });
      const producer = childOf(server);
      expect(producer).toMatchObject({ name: 'send health.check', kind: SPAN_KIND_PRODUCER });
      expect(producer?.attributes).toMatchObject({
        'messaging.system': MESSAGING_SYSTEM[brokerName],
        'messaging.destination.name': 'health.check',
        'messaging.operation.name': 'send',
        'messaging.operation.type': 'send',
      });
      const consumer = childOf(producer);
      expect(consumer).toMatchObject({ name: 'process health.check', kind: SPAN_KIND_CONSUMER });
      expect(consumer?.attributes).toMatchObject({
        'messaging.system': MESSAGING_SYSTEM[brokerName],
        'messaging.destination.name': 'health.check',
        'messaging.operation.type': 'process',
      });
      expect(childOf(consumer)).toMatchObject({ name: 'HealthCheckService.check', kind: SPAN_KIND_INTERNAL });

      expect(producer?.resource['service.name']).toBe('gateway-api');
      expect(consumer?.resource['service.name']).toBe('worker');
      for (const span of [server, producer, consumer]) expect(span?.status.code).not.toBe(STATUS_ERROR);
    });

    it('keeps serving HTTP when the broker goes down: 5xx on its spans, one line per log context, nothing crashes', async () => {
      const app = gatewayApp();
      await broker?.stop();
      broker = undefined;

      const statuses: number[] = [];
      for (let attempt = 0; attempt < 3; attempt++) statuses.push((await app.get('/upstream/worker')).status);
      expect(statuses.every((status) => status === 502 || status === 504)).toBe(true);
      expect((await app.get('/')).status).toBe(200);

      // Each request's SERVER span records its 5xx. A 502 is a send the transport refused, its PRODUCER span in ERROR;
      // a 504 is one the client still held for a reconnect when the gateway stopped waiting (NATS buffers them).
      const failedRequests = await waitFor('the failed requests on their spans', () => {
        const servers = receiver.spans.filter(
          (span) => span.name === 'GET /upstream/worker' && span.status.code === STATUS_ERROR,
        );
        return servers.length >= 3 ? servers : undefined;
      });
      expect(failedRequests).toHaveLength(3);
      const refused = statuses.filter((status) => status === 502).length;
      const failedSends = await waitFor('the refused sends on their spans', () => {
        const sends = receiver.spans.filter(
          (span) => span.name === 'send health.check' && span.status.code === STATUS_ERROR,
        );
        return sends.length >= refused ? sends : undefined;
      });
      expect(failedSends).toHaveLength(refused);
      const warnings = app.logRecords.filter((record) => record['context'] === 'WorkerClient');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ level: 'warn' });
      expect(String(warnings[0]?.['message'])).toMatch(/^the worker (is unreachable|did not answer)/);
      // Nest's transports log each failed reconnect: one line per context is what reaches the log.
      for (const running of [app, worker]) expect(problemLinesPerContext(running)).toEqual({});
    });
  });
});

/** The contexts that logged more than one warning or error, with their counts. */
function problemLinesPerContext(app: AppProcess | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of app?.logRecords ?? []) {
    if (record['level'] !== 'warn' && record['level'] !== 'error') continue;
    const context = String(record['context']);
    counts[context] = (counts[context] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 1));
}
