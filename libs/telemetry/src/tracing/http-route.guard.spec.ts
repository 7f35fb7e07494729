import 'reflect-metadata';
import { Controller, Get, type INestApplication, Param } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type RPCMetadata, RPCType, setRPCMetadata } from '@opentelemetry/core';
import type { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import { TelemetryModule } from '../telemetry.module';

@Controller('users')
class UsersController {
  @Get(':id/orders/:orderId')
  order(@Param('id') id: string): { id: string } {
    return { id };
  }
}

/**
 * Jest's module loader keeps the HTTP instrumentation from patching `http` in-process (the e2e suite
 * covers the real thing), so this stands in for it: the same RPC metadata in the request's context.
 */
function withHttpRpcMetadata(seen: RPCMetadata[]) {
  return (_request: Request, _response: Response, next: NextFunction): void => {
    const metadata = { type: RPCType.HTTP, span: undefined } as unknown as RPCMetadata;
    seen.push(metadata);
    context.with(setRPCMetadata(ROOT_CONTEXT, metadata), next);
  };
}

describe('HttpRouteGuard (registered by TelemetryModule)', () => {
  const seen: RPCMetadata[] = [];
  let app: INestApplication;

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const moduleRef = await Test.createTestingModule({
      imports: [TelemetryModule.forRoot()],
      controllers: [UsersController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.setGlobalPrefix('api');
    app.use(withHttpRpcMetadata(seen));
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    context.disable();
  });
  beforeEach(() => (seen.length = 0));

  it('sets http.route to the matched route template, global prefix included', async () => {
    await request(app.getHttpServer()).get('/api/users/42/orders/7').expect(200, { id: '42' });
    expect(seen.map((metadata) => metadata.route)).toEqual(['/api/users/:id/orders/:orderId']);
  });

  it('leaves unknown URLs without a route, so they cannot create a series or span name per URL', async () => {
    await request(app.getHttpServer()).get('/api/users/42/unknown').expect(404);
    expect(seen).toHaveLength(1);
    expect(seen[0].route).toBeUndefined();
  });
});
