import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from './app.module';

describe('AppModule', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(() => app.close());

  it('answers GET / with a JSON message', async () => {
    await request(app.getHttpServer())
      .get('/')
      .expect('content-type', /json/)
      .expect(200, { message: 'health-api root/' });
  });

  it('serves /healthz and /metrics', async () => {
    await request(app.getHttpServer()).get('/healthz').expect(200);
    await request(app.getHttpServer()).get('/metrics').expect(200);
  });

  it('answers unknown URLs with a JSON 404', async () => {
    const { body } = await request(app.getHttpServer()).get('/nope').expect(404);
    expect(body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});
