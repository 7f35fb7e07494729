import { Injectable, type INestApplication } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { Cron, Interval, ScheduleModule, Timeout } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { useInMemoryTracing } from '../spec-support/in-memory-tracing';
import { withEnv } from '../spec-support/with-env';
import { TelemetryModule } from '../telemetry.module';

const runs: string[] = [];

@Injectable()
class Jobs {
  @Interval('sweep', 10)
  sweep(): void {
    runs.push('sweep');
  }

  @Timeout(5)
  async warm(): Promise<void> {
    await Promise.resolve();
    runs.push('warm');
  }

  @Timeout('broken', 5)
  broken(): void {
    throw new Error('job failed');
  }

  @Cron('* * * * * *', { name: 'tick' })
  tick(): void {
    runs.push('tick');
  }
}

/** A handler a provider inherits. */
abstract class AuditedListeners {
  @OnEvent('order.audited')
  audited(): void {
    // inherited by Listeners
  }
}

@Injectable()
class Listeners extends AuditedListeners {
  @OnEvent('order.created')
  created(order: { id: number }): number {
    return order.id;
  }

  @OnEvent('order.created', { async: true })
  async createdLater(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }

  @OnEvent('order.*')
  anyOrder(): void {
    // a wildcard: the span is named after the handler
  }

  @OnEvent('order.refused')
  refused(): never {
    throw new Error('refused');
  }
}

describe('scheduled jobs and events, with TelemetryModule.forRoot() and nothing else', () => {
  let tracing: ReturnType<typeof useInMemoryTracing>;
  let app: INestApplication;

  const spans = (): ReadableSpan[] => tracing.exporter.getFinishedSpans();
  const named = (name: string): ReadableSpan[] => spans().filter((span) => span.name === name);

  async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out; spans: ${spans()
            .map((span) => span.name)
            .join(', ')}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  beforeEach(() => {
    tracing = useInMemoryTracing();
    runs.length = 0;
  });

  afterEach(async () => {
    await app.close();
    await tracing.stop();
  });

  describe('@Cron(), @Interval(), @Timeout()', () => {
    beforeEach(async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [TelemetryModule.forRoot(), ScheduleModule.forRoot()],
        providers: [Jobs],
      }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      // Started inside a span: the jobs' timers must not make their runs its children.
      await trace.getTracer('spec').startActiveSpan('bootstrap', async (span) => {
        await app.init();
        span.end();
      });
    });

    it('makes each run a root span of its own trace, named after the job or Class.method', async () => {
      await until(() => named('sweep').length >= 2 && named('Jobs.warm').length === 1);

      const [first, second] = named('sweep');
      const warm = named('Jobs.warm')[0];
      for (const span of [first, second, warm]) {
        expect(span?.parentSpanContext).toBeUndefined();
        expect(span?.kind).toBe(SpanKind.INTERNAL);
      }
      expect(first?.spanContext().traceId).not.toBe(second?.spanContext().traceId);
      expect(first?.attributes['code.function.name']).toBe('Jobs.sweep');
      expect(runs).toContain('warm');
    });

    it('records the error of a job that throws', async () => {
      await until(() => named('broken').length === 1);

      const broken = named('broken')[0];
      expect(broken?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'job failed' });
      expect(broken?.events.map((event) => event.name)).toEqual(['exception']);
    });

    it('traces @Cron() runs by their name', async () => {
      await until(() => named('tick').length >= 1);

      expect(named('tick')[0]?.parentSpanContext).toBeUndefined();
    });
  });

  describe('@OnEvent()', () => {
    let emitter: EventEmitter2;

    beforeEach(async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [TelemetryModule.forRoot(), EventEmitterModule.forRoot({ wildcard: true })],
        providers: [Listeners],
      }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      await app.init();
      emitter = app.get(EventEmitter2);
    });

    it('runs sync and async handlers in spans that are children of the span active at emit()', async () => {
      const parent = trace.getTracer('spec').startActiveSpan('place order', (span) => {
        emitter.emit('order.created', { id: 7 });
        span.end();
        return span;
      });
      await until(() => named('order.created').length === 2 && named('Listeners.anyOrder').length === 1);

      for (const span of [...named('order.created'), ...named('Listeners.anyOrder')]) {
        expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
        expect(span.spanContext().traceId).toBe(parent.spanContext().traceId);
      }
      expect(
        named('order.created')
          .map((span) => span.attributes['code.function.name'])
          .sort(),
      ).toEqual(['Listeners.created', 'Listeners.createdLater']);
    });

    it('traces a handler inherited from a base class', async () => {
      emitter.emit('order.audited');
      await until(() => named('order.audited').length === 1);

      expect(named('order.audited')[0]?.attributes['code.function.name']).toBe('AuditedListeners.audited');
    });

    it('records the error of a handler that throws', async () => {
      await trace.getTracer('spec').startActiveSpan('refuse', async (span) => {
        await emitter.emitAsync('order.refused').catch(() => undefined);
        span.end();
      });
      await until(() => named('order.refused').length === 1);

      expect(named('order.refused')[0]?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'refused' });
    });
  });
});

describe('OTEL_NODE_DISABLED_INSTRUMENTATIONS', () => {
  it('leaves jobs and event handlers as they are when it names nestjs-schedule and nestjs-event-emitter', async () => {
    const tracing = useInMemoryTracing();
    const restore = withEnv({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http, nestjs-schedule,nestjs-event-emitter' });
    @Injectable()
    class Untraced {
      @Timeout('quiet', 1)
      quiet(): void {
        runs.push('quiet');
      }

      @OnEvent('order.created')
      created(): void {
        runs.push('created');
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [TelemetryModule.forRoot(), ScheduleModule.forRoot(), EventEmitterModule.forRoot()],
      providers: [Untraced],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    try {
      await app.init();
      app.get(EventEmitter2).emit('order.created');
      for (let attempt = 0; attempt < 100 && !runs.includes('quiet'); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }

      expect(runs).toEqual(expect.arrayContaining(['quiet', 'created']));
      expect(tracing.exporter.getFinishedSpans()).toEqual([]);
    } finally {
      await app.close();
      restore();
      await tracing.stop();
    }
  });
});
