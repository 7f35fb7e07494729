import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { HealthApiClient } from './health-api.client';
import { UPSTREAM_CONFIG } from './upstream.config';
import { UpstreamController } from './upstream.controller';

/** A loopback health-api stand-in whose answer each test chooses. */
function upstream(handler: Parameters<typeof createServer>[1]): Promise<{ url: URL; server: Server }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`) }),
    ),
  );
}

async function gatewayTo(url: URL, timeoutMs = 500): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    controllers: [UpstreamController],
    providers: [{ provide: UPSTREAM_CONFIG, useValue: { healthApiUrl: url, timeoutMs } }, HealthApiClient],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('UpstreamController', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });

  async function setUp(handler: Parameters<typeof createServer>[1], timeoutMs?: number): Promise<INestApplication> {
    const { server, url } = await upstream(handler);
    const app = await gatewayTo(url, timeoutMs);
    cleanups.push(
      () => app.close(),
      () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(resolve);
        }),
    );
    return app;
  }

  it('passes health-api’s answer through', async () => {
    const app = await setUp((_req, res) => res.writeHead(200).end('{"message":"up"}'));
    await request(app.getHttpServer())
      .get('/upstream/healthz')
      .expect(200, { upstream: 'health-api', answer: { message: 'up' } });
  });

  it('answers 502 when health-api fails or answers garbage', async () => {
    const failing = await setUp((_req, res) => res.writeHead(500).end('{}'));
    await request(failing.getHttpServer())
      .get('/upstream/healthz')
      .expect(502, { message: 'health-api answered 500', error: 'Bad Gateway', statusCode: 502 });
    const garbled = await setUp((_req, res) => res.writeHead(200).end('<html>'));
    await request(garbled.getHttpServer()).get('/upstream/healthz').expect(502);
  });

  it('answers 504 when health-api is slower than the timeout', async () => {
    const app = await setUp(() => undefined, 100);
    await request(app.getHttpServer()).get('/upstream/healthz').expect(504, {
      message: 'health-api did not answer within 100 ms',
      error: 'Gateway Timeout',
      statusCode: 504,
    });
  });
});
