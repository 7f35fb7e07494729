import 'reflect-metadata';
import { Controller, Get, Injectable, type INestApplication, Module, Param } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type Meter, SpanKind, type Tracer } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { TraceService } from 'nestjs-otel';
import { Counted } from './metrics/counted.decorator';
import { MeterService } from './metrics/meter.service';
import { Timed } from './metrics/timed.decorator';
import request from 'supertest';
import { InjectMeter } from './metrics/inject-meter.decorator';
import { startTelemetry } from './sdk/start-telemetry';
import { getTelemetry } from './state/started-telemetry';
import { TelemetryModule } from './telemetry.module';
import { METER, TRACER } from './telemetry.constants';
import { InjectTracer } from './tracing/inject-tracer.decorator';
import { Span } from './tracing/span.decorator';
import { createPlatformApp, HTTP_PLATFORMS, type HttpPlatform } from './spec-support/nest-platforms';
import { withEnv } from './spec-support/with-env';

@Injectable()
class OrdersService {
  constructor(
    @InjectTracer() readonly tracer: Tracer,
    @InjectMeter() private readonly meter: Meter,
    private readonly meterService: MeterService,
    readonly traceService: TraceService,
  ) {}

  countOrder(): void {
    this.meter.createCounter('orders_placed', { description: 'Orders placed' }).add(2, { channel: 'web' });
    this.meterService.counter('orders_seen', { description: 'Orders seen' }).add(1);
  }

  @Span()
  currentTraceId(): string | undefined {
    return this.traceService.getSpan()?.spanContext().traceId;
  }
}

@Controller('orders')
class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get(':id')
  find(@Param('id') id: string): { id: string; traceId?: string } {
    this.orders.countOrder();
    return { id, traceId: this.orders.currentTraceId() };
  }
}

@Module({ controllers: [OrdersController], providers: [OrdersService] })
class OrdersModule {}

async function createApp(
  telemetryModule = TelemetryModule.forRoot({ scopeName: 'orders-spec' }),
  platform: HttpPlatform = 'express',
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [telemetryModule, OrdersModule] }).compile();
  return createPlatformApp(moduleRef, platform);
}

describe.each(HTTP_PLATFORMS)('TelemetryModule with telemetry started, on %s', (platform) => {
  const spans = new InMemorySpanExporter();
  let app: INestApplication;

  beforeAll(async () => {
    startTelemetry({ serviceName: 'module-spec', spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] });
    app = await createApp(undefined, platform);
  });
  afterAll(() => app.close());
  beforeEach(() => spans.reset());

  it('injects a real tracer whose spans carry the configured scope', () => {
    const tracer = app.get<Tracer>(TRACER);
    tracer.startSpan('manual', { kind: SpanKind.INTERNAL }).end();
    const [span] = spans.getFinishedSpans();
    expect(span.name).toBe('manual');
    expect(span.instrumentationScope.name).toBe('orders-spec');
    expect(span.resource.attributes['service.name']).toBe('module-spec');
  });

  it('provides one tracer and one meter instance to every consumer', () => {
    const service = app.get(OrdersService);
    expect(service.tracer).toBe(app.get(TRACER));
    expect(app.get<Meter>(METER)).toBe(app.get<Meter>(METER));
  });

  it('serves instruments of the injected meter and of MeterService on GET /metrics', async () => {
    await request(app.getHttpServer()).get('/orders/1').expect(200);
    await request(app.getHttpServer()).get('/orders/2').expect(200);
    const { text, headers } = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(headers['content-type']).toMatch(/^text\/plain/);
    expect(text).toContain('# HELP orders_placed_total Orders placed');
    expect(text).toContain('# TYPE orders_placed_total counter');
    expect(text).toMatch(/^orders_placed_total\{channel="web",otel_scope_name="orders-spec"[^}]*\} 4$/m);
    expect(text).toMatch(/^orders_seen_total\{[^}]*\} 2$/m);
  });

  it('serves every kind of MeterService instrument on GET /metrics, named by Prometheus conventions', async () => {
    const meters = app.get(MeterService);
    meters.upDownCounter('queue.items', { description: 'Items queued', unit: '{item}' }).add(5);
    meters.upDownCounter('queue.items').add(-2);
    meters.histogram('job.duration', { description: 'Job duration', unit: 's' }).record(0.3);
    meters.gauge('pool.usage', { description: 'Pool usage', unit: '1' }).record(0.25);
    meters.observableGauge('cache.size', { description: 'Cache entries' }).addCallback((result) => result.observe(42));
    meters.observableCounter('ticks', { description: 'Ticks' }).addCallback((result) => result.observe(7));
    meters.observableUpDownCounter('workers', { description: 'Workers' }).addCallback((result) => result.observe(3));
    const { text } = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(text).toMatch(/^queue_items\{[^}]*\} 3$/m);
    expect(text).toContain('# TYPE job_duration_seconds histogram');
    expect(text).toMatch(/^job_duration_seconds_sum\{[^}]*\} 0\.3$/m);
    expect(text).toMatch(/^pool_usage_ratio\{[^}]*\} 0\.25$/m);
    expect(text).toMatch(/^cache_size\{[^}]*\} 42$/m);
    expect(text).toMatch(/^ticks_total\{[^}]*\} 7$/m);
    expect(text).toMatch(/^workers\{[^}]*\} 3$/m);
    expect(meters.observableGauge('cache.size')).toBe(meters.observableGauge('cache.size'));
  });

  it('returns the same MeterService instrument for the same name, and refuses another kind under it', () => {
    const meterService = app.get(MeterService);
    expect(meterService.counter('same_name')).toBe(meterService.counter('same_name'));
    expect(() => meterService.histogram('same_name')).toThrow(
      'Metric "same_name" is already a counter; it cannot also be a histogram',
    );
  });

  it('gives TraceService the span active in the handler', async () => {
    const { body } = await request(app.getHttpServer()).get('/orders/3').expect(200);
    const handlerSpan = spans.getFinishedSpans().find((span) => span.name === 'OrdersService.currentTraceId');
    expect(body.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(body.traceId).toBe(handlerSpan?.spanContext().traceId);
  });

  it('answers 404 JSON for unknown URLs without adding a route to /metrics', async () => {
    await request(app.getHttpServer()).get('/no/such/url-1234').expect(404);
    const { text } = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(text).not.toContain('url-1234');
  });

  it('labels http.server.request.duration with the route template, never the URL', async () => {
    await request(app.getHttpServer()).get('/orders/route-label-1').expect(200);
    const { text } = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(text).toMatch(/^http_server_request_duration_seconds_count\{[^}]*http_route="\/orders\/:id"[^}]*\} \d+$/m);
    expect(text).not.toContain('route-label-1');
  });

  it('passes the OpenMetrics content type it negotiated through to the response', async () => {
    const { text, headers } = await request(app.getHttpServer())
      .get('/metrics')
      .set('accept', 'application/openmetrics-text; version=1.0.0')
      .expect(200);
    expect(headers['content-type']).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
    expect(text.endsWith('# EOF\n')).toBe(true);
  });

  it('does not trace the scrapes of /metrics', async () => {
    await request(app.getHttpServer()).get('/metrics').expect(200);
    await request(app.getHttpServer()).get('/orders/4').expect(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const servers = spans.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);
    expect(servers.map((span) => span.name)).toEqual(['GET /orders/:id']);
  });
});

describe.each(HTTP_PLATFORMS)('GET /metrics with METRICS_BEARER_TOKEN, on %s', (platform) => {
  let app: INestApplication;
  let restoreEnv: () => void;

  beforeAll(async () => {
    restoreEnv = withEnv({ METRICS_BEARER_TOKEN: 'scrape-s3cret' });
    startTelemetry({
      spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
      runtimeMetrics: false,
    });
    app = await createApp(undefined, platform);
  });
  afterAll(async () => {
    await app.close();
    restoreEnv();
  });

  it('refuses a scrape without the token, saying which scheme to use', async () => {
    const { headers, text } = await request(app.getHttpServer()).get('/metrics').expect(401);
    expect(headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(text).not.toContain('# TYPE');
    await request(app.getHttpServer()).get('/metrics').set('authorization', 'Bearer wrong').expect(401);
  });

  it('serves a scrape with the token', async () => {
    await request(app.getHttpServer()).get('/orders/1').expect(200);
    const { text } = await request(app.getHttpServer())
      .get('/metrics')
      .set('authorization', 'Bearer scrape-s3cret')
      .expect(200);
    expect(text).toMatch(/^orders_seen_total\{[^}]*\} 1$/m);
  });
});

describe('TelemetryModule.forRootAsync', () => {
  const spans = new InMemorySpanExporter();
  let app: INestApplication;

  beforeAll(async () => {
    startTelemetry({ serviceName: 'async-spec', spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] });
    app = await createApp(
      TelemetryModule.forRootAsync({ useFactory: async () => ({ scopeName: 'from-factory', scopeVersion: '1.2.3' }) }),
    );
  });
  afterAll(() => app.close());

  it('builds the tracer from the factory’s options', () => {
    app.get<Tracer>(TRACER).startSpan('async').end();
    const [span] = spans.getFinishedSpans();
    expect(span.instrumentationScope).toMatchObject({ name: 'from-factory', version: '1.2.3' });
  });
});

describe('TelemetryModule lifecycle', () => {
  it('stops the SDK when the app shuts down', async () => {
    startTelemetry({ spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })] });
    const app = await createApp();
    expect(getTelemetry()?.enabled).toBe(true);
    await app.close();
    expect(getTelemetry()).toBeUndefined();
  });

  it('without startTelemetry(): the app still works and /metrics says why it is empty', async () => {
    const app = await createApp();
    try {
      await request(app.getHttpServer()).get('/orders/9').expect(200, { id: '9' });
      const { text } = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(text).toBe('# OpenTelemetry is not started: call startTelemetry() before Nest loads\n');
    } finally {
      await app.close();
    }
  });

  it('with OTEL_SDK_DISABLED=true: nothing starts and /metrics says so', async () => {
    process.env['OTEL_SDK_DISABLED'] = 'true';
    try {
      const telemetry = startTelemetry();
      expect(telemetry.enabled).toBe(false);
      const app = await createApp();
      const { text } = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(text).toContain('OTEL_SDK_DISABLED=true');
      await app.close();
    } finally {
      delete process.env['OTEL_SDK_DISABLED'];
    }
  });

  it('with OTEL_SDK_DISABLED=true: @Span(), @Timed() and @Counted() leave methods as written, so they cost nothing per call', async () => {
    class Target {}
    function work(): string {
      return 'done';
    }
    const decorate = (): unknown => {
      const descriptor: PropertyDescriptor = { value: work, writable: true, configurable: true };
      for (const decorator of [Span(), Timed(), Counted()]) decorator(Target.prototype, 'work', descriptor);
      return descriptor.value;
    };
    process.env['OTEL_SDK_DISABLED'] = 'true';
    try {
      startTelemetry();
      expect(decorate()).toBe(work);
      await getTelemetry()?.shutdown();
    } finally {
      delete process.env['OTEL_SDK_DISABLED'];
    }
    expect(decorate()).not.toBe(work); // not started, or started enabled: wrapped
  });
});
