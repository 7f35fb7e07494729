import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MeterService, TelemetryModule } from '@obs/telemetry';
import { startTestTelemetry, type TestTelemetry } from '@obs/telemetry/testing';
import request from 'supertest';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { HealthModule } from './health.module';

describe('HealthController', () => {
  let telemetry: TestTelemetry;
  let app: INestApplication;

  beforeAll(async () => {
    telemetry = startTestTelemetry({ serviceName: 'health-api-spec' });
    const moduleRef = await Test.createTestingModule({ imports: [TelemetryModule.forRoot(), HealthModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(() => app.close());
  beforeEach(() => telemetry.spans.reset());

  it('answers GET /healthz with its uptime, as text and as numbers', async () => {
    const { body } = await request(app.getHttpServer()).get('/healthz').expect(200);
    expect(body.message).toMatch(/^up and running since \d+:\d{2}:\d{2}(\.\d{6})?$/);
    expect(body.status).toBe('ok');
    expect(body.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(body.started_at)).toBeLessThanOrEqual(Date.now());
  });

  it('reports a growing uptime', async () => {
    const controller = app.get(HealthController);
    const first = (await controller.healthz()).uptime_seconds;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await controller.healthz()).uptime_seconds).toBeGreaterThan(first);
  });

  it("does the work in a HealthService.check span, a child of the request's SERVER span", async () => {
    await request(app.getHttpServer()).get('/healthz').expect(200);
    // The SERVER span ends on the response's close, just after supertest has the answer: wait for it.
    const [check, server] = await telemetry.spans.waitFor(2);
    expect([check?.name, server?.name]).toEqual(['HealthService.check', 'GET /healthz']);
    expect(check?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
  });

  it('counts each call in healthz_count, exposed as healthz_count_total with its HELP text', async () => {
    const count = async (): Promise<number> => {
      const { text } = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(text).toContain('# HELP healthz_count_total Number of /healthz requests');
      return Number(/^healthz_count_total\{[^}]*\} (\d+)$/m.exec(text)?.[1]);
    };
    const before = await count();
    await request(app.getHttpServer()).get('/healthz').expect(200);
    await request(app.getHttpServer()).get('/healthz').expect(200);
    expect(await count()).toBe(before + 2);
  });

  describe('test delay (HEALTHZ_TEST_DELAY_MS, a test aid)', () => {
    const withDelayEnv = (value: string | undefined): HealthController => {
      const saved = process.env['HEALTHZ_TEST_DELAY_MS'];
      if (value === undefined) delete process.env['HEALTHZ_TEST_DELAY_MS'];
      else process.env['HEALTHZ_TEST_DELAY_MS'] = value;
      try {
        return new HealthController(new HealthService(app.get(MeterService)));
      } finally {
        if (saved === undefined) delete process.env['HEALTHZ_TEST_DELAY_MS'];
        else process.env['HEALTHZ_TEST_DELAY_MS'] = saved;
      }
    };

    it('is off by default: the header alone changes nothing', () => {
      expect(withDelayEnv(undefined).healthz('1')).toMatchObject({ status: 'ok' });
    });

    it('delays only requests carrying x-test-delay: 1 when set', async () => {
      jest.useFakeTimers();
      try {
        const controller = withDelayEnv('250');
        expect(controller.healthz(undefined)).toMatchObject({ status: 'ok' });
        let answered = false;
        const pending = Promise.resolve(controller.healthz('1')).then(() => (answered = true));
        jest.advanceTimersByTime(249);
        await Promise.resolve();
        expect(answered).toBe(false);
        jest.advanceTimersByTime(1);
        await pending;
        expect(answered).toBe(true);
      } finally {
        jest.useRealTimers();
      }
    });

    it('ignores a value that is not a delay', () => {
      expect(withDelayEnv('soon').healthz('1')).toMatchObject({ status: 'ok' });
    });
  });
});
