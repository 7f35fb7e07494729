import 'reflect-metadata';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Body, Controller, Get, type INestApplication, Param, Post, Version, VersioningType } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { FinishedSpans } from '../testing/finished-spans';
import { createPlatformApp, HTTP_PLATFORMS } from '../spec-support/nest-platforms';
import { startTelemetry } from '../sdk/start-telemetry';
import { getTelemetry } from '../state/started-telemetry';
import { TelemetryModule } from '../telemetry.module';
import { Span } from './span.decorator';

@Controller('users')
class UsersController {
  @Get(':id/orders/:orderId')
  order(@Param('id') id: string): { id: string } {
    return { id };
  }

  @Get(':id')
  @Version('2')
  userV2(@Param('id') id: string): { id: string; version: number } {
    return { id, version: 2 };
  }

  @Post(':id/orders')
  @Span('UsersController.place')
  place(@Param('id') id: string, @Body() order: { item: string }): { id: string; item: string } {
    return { id, item: order.item };
  }
}

/**
 * A POST whose body leaves well after its headers, as a slow client or a large body does: the body then
 * arrives in events of its own, outside the work that began the request.
 */
async function postLate(
  app: INestApplication,
  path: string,
  json: unknown,
): Promise<{ status?: number; body: unknown }> {
  const server = app.getHttpServer() as Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const payload = JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.flushHeaders();
    setTimeout(() => req.end(payload), 30);
  });
}

describe.each(HTTP_PLATFORMS)('HttpRouteGuard (registered by TelemetryModule) on %s', (platform) => {
  const spans = new FinishedSpans();
  let app: INestApplication;

  beforeAll(async () => {
    startTelemetry({ spanProcessors: [spans], runtimeMetrics: false });
    const moduleRef = await Test.createTestingModule({
      imports: [TelemetryModule.forRoot()],
      controllers: [UsersController],
    }).compile();
    app = await createPlatformApp(moduleRef, platform, {
      configure: (created) => {
        created.setGlobalPrefix('api');
        created.enableVersioning({ type: VersioningType.URI });
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await getTelemetry()?.shutdown();
  });
  beforeEach(() => spans.reset());

  it('names the SERVER span and sets http.route from the matched route template, global prefix included', async () => {
    await request(app.getHttpServer()).get('/api/users/42/orders/7').expect(200, { id: '42' });
    const [server] = await spans.waitFor(1);
    expect(server.name).toBe('GET /api/users/:id/orders/:orderId');
    expect(server.attributes['http.route']).toBe('/api/users/:id/orders/:orderId');
  });

  it('includes the URI version in the route template', async () => {
    await request(app.getHttpServer()).get('/api/v2/users/42').expect(200, { id: '42', version: 2 });
    const [server] = await spans.waitFor(1);
    expect(server.name).toBe('GET /api/v2/users/:id');
    expect(server.attributes['http.route']).toBe('/api/v2/users/:id');
  });

  it('leaves unknown URLs without a route, so they cannot create a series or span name per URL', async () => {
    await request(app.getHttpServer()).get('/api/users/42/unknown').expect(404);
    const [server] = await spans.waitFor(1);
    expect(server.name).toBe('GET');
    expect(server.attributes['http.route']).toBeUndefined();
  });

  it('keeps a handler reached after JSON body parsing in the request trace, body sent after the headers', async () => {
    expect(await postLate(app, '/api/users/42/orders', { item: 'tea' })).toEqual({
      status: 201,
      body: { id: '42', item: 'tea' },
    });
    const [handler, server] = await spans.waitFor(2);
    expect(server.name).toBe('POST /api/users/:id/orders');
    expect(handler.name).toBe('UsersController.place');
    expect(handler.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
  });
});
