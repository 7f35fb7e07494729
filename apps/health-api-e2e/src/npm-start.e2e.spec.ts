import { FaultyCollector } from './support/faulty-collector';
import { NpmStart } from './support/npm-start';
import { otlpJsonEnv } from './support/otlp-env';
import { OtlpReceiver } from './support/otlp-receiver';
import { waitFor } from './support/wait-for';

const DRAINING = 'SIGINT received: finishing in-flight requests and flushing telemetry';
const AGAIN = 'SIGINT received again: exiting without waiting';
/** npm ends as its script did: with code 0, or re-raising the SIGINT that a Ctrl-C sent it too. */
const ENDED_CLEANLY = [
  { code: 0, signal: null },
  { code: null, signal: 'SIGINT' },
];

describe('npm start', () => {
  let run: NpmStart | undefined;
  afterEach(() => run?.kill());

  it('on Ctrl-C (the terminal and the tools in between all signal the app) drains, flushes, prints its shutdown line and ends', async () => {
    const receiver = new OtlpReceiver();
    const endpoint = await receiver.start();
    try {
      // A batch that would wait ten minutes: only the shutdown flush can send these spans.
      run = new NpmStart(otlpJsonEnv(endpoint, { OTEL_BSP_SCHEDULE_DELAY: '600000' }));
      expect((await fetch(`${await run.url()}/healthz`)).status).toBe(200);
      run.ctrlC();
      // What nx or another wrapper relays of the same Ctrl-C, milliseconds later.
      run.ctrlC();
      expect(ENDED_CLEANLY).toContainEqual(await run.ended());
      expect(run.messages).toContain(DRAINING);
      expect(run.messages).not.toContain(AGAIN);
      expect(receiver.spans.map((span) => span.name).sort()).toEqual(['GET /healthz', 'HealthService.check']);
    } finally {
      await receiver.stop();
    }
  }, 120_000);

  it('exits at once on a second Ctrl-C a moment later, while the flush hangs', async () => {
    const collector = new FaultyCollector('blackhole');
    const endpoint = await collector.start();
    try {
      run = new NpmStart(
        otlpJsonEnv(endpoint, {
          OTEL_BSP_SCHEDULE_DELAY: '600000',
          OTEL_BSP_EXPORT_TIMEOUT: '600000',
          OTEL_EXPORTER_OTLP_TIMEOUT: '600000',
        }),
      );
      expect((await fetch(`${await run.url()}/healthz`)).status).toBe(200);
      run.ctrlC();
      await waitFor('the span flush to reach the collector', () =>
        collector.maxOpenConnections['/v1/traces'] ? true : undefined,
      );
      // A person's second Ctrl-C: past the window in which relayed signals count as the first.
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      run.ctrlC();
      expect(await run.ended()).not.toEqual({ code: 0, signal: null });
      expect(run.messages).toContain(AGAIN);
      // It did not wait for the library's 5 s flush bound.
      expect(run.logs).not.toContain('OpenTelemetry did not finish exporting');
    } finally {
      await collector.stop();
    }
  }, 120_000);

  it.each([
    [{ PORT: 'abc' }, 'Cannot start: PORT="abc" is not a TCP port: expected an integer from 0 to 65535'],
    [
      { HTTP_PLATFORM: 'koa' },
      'Cannot start: HTTP_PLATFORM="koa" is not an HTTP platform: expected express or fastify',
    ],
  ])(
    'with a fatal setting %o prints its one line and ends, non-zero',
    async (env, line) => {
      run = new NpmStart(env);
      // Cleared once the race is decided: a pending timer would hold Jest open after the last test.
      let timer: NodeJS.Timeout | undefined;
      const ended = await Promise.race([
        run.ended(),
        new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), 60_000))),
      ]).finally(() => clearTimeout(timer));
      expect(ended).not.toBe('still running');
      expect(ended).not.toEqual({ code: 0, signal: null });
      expect(run.messages.filter((message) => message.startsWith('Cannot start'))).toEqual([line]);
    },
    120_000,
  );
});
