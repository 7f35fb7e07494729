import 'reflect-metadata';
import { Controller, Get, Injectable, type INestApplication, Module } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { Interval, ScheduleModule } from '@nestjs/schedule';
import { ApiOperation, ApiResponse, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { type Span as OtelSpan, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import { useInMemoryTracing } from '../spec-support/in-memory-tracing';
import { CurrentSpan } from './current-span.decorator';
import { Span } from './span.decorator';

@Injectable()
class OrderListener {
  readonly received: string[] = [];

  @OnEvent('order.created')
  @Span()
  onCreatedBelow(payload: { id: string }): void {
    this.received.push(`below:${payload.id}`);
  }

  @Span('order.created.handler')
  @OnEvent('order.created')
  onCreatedAbove(payload: { id: string }): void {
    this.received.push(`above:${payload.id}`);
  }
}

@Injectable()
class Heartbeat {
  beats = 0;

  @Span()
  @Interval(20)
  beat(): void {
    this.beats += 1;
  }
}

@Controller('docs')
class DocumentedController {
  @Span()
  @Get()
  @ApiOperation({ summary: 'List documented things' })
  @ApiResponse({ status: 200, description: 'The things' })
  list(): string[] {
    return [];
  }

  @Get('span')
  currentSpan(@CurrentSpan() span?: OtelSpan): { spanName?: string; traceId?: string } {
    return { traceId: span?.spanContext().traceId };
  }
}

@Module({
  imports: [EventEmitterModule.forRoot(), ScheduleModule.forRoot()],
  controllers: [DocumentedController],
  providers: [OrderListener, Heartbeat],
})
class IntegrationModule {}

describe('@Span() with Nest integrations', () => {
  let tracing: ReturnType<typeof useInMemoryTracing>;
  let app: INestApplication;
  const spanNames = (): string[] => tracing.exporter.getFinishedSpans().map((span) => span.name);

  beforeAll(async () => {
    tracing = useInMemoryTracing();
    const moduleRef = await Test.createTestingModule({ imports: [IntegrationModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    // Stands in for the HTTP instrumentation (which cannot patch http under Jest): a request span.
    app.use((_request: Request, response: Response, next: NextFunction) =>
      trace.getTracer('test').startActiveSpan('request', (span) => {
        response.on('finish', () => span.end());
        next();
      }),
    );
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await tracing.stop();
  });
  beforeEach(() => tracing.exporter.reset());

  it('keeps @OnEvent() working on either side of @Span(), each call in its span', async () => {
    await app.get(EventEmitter2).emitAsync('order.created', { id: 'o-7' });
    expect(app.get(OrderListener).received.sort()).toEqual(['above:o-7', 'below:o-7']);
    expect(spanNames().sort()).toEqual(['OrderListener.onCreatedBelow', 'order.created.handler']);
  });

  it('keeps scheduled handlers running, each run in its own root span', async () => {
    const heartbeat = app.get(Heartbeat);
    const start = heartbeat.beats;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(heartbeat.beats).toBeGreaterThan(start);
    const beats = tracing.exporter.getFinishedSpans().filter((span) => span.name === 'Heartbeat.beat');
    expect(beats.length).toBeGreaterThan(0);
    expect(beats.every((span) => span.parentSpanContext === undefined)).toBe(true);
  });

  it('keeps Swagger metadata on the handler', () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    const operation = document.paths['/docs']?.get;
    expect(operation?.summary).toBe('List documented things');
    expect(operation?.responses?.['200']).toMatchObject({ description: 'The things' });
  });

  it('injects the active span into a handler parameter with @CurrentSpan()', async () => {
    const { body } = await request(app.getHttpServer()).get('/docs/span').expect(200);
    const requestSpan = tracing.exporter.getFinishedSpans().find((span) => span.name === 'request');
    expect(body.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(body.traceId).toBe(requestSpan?.spanContext().traceId);
  });
});
