import { Controller, Get, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { useInMemoryTracing } from '../spec-support/in-memory-tracing';
import { TelemetryModule } from '../telemetry.module';

// An app without @nestjs/microservices, @nestjs/schedule or @nestjs/event-emitter: loading any of them fails.
const mockRequired: string[] = [];
function mockMissing(name: string): never {
  mockRequired.push(name);
  throw new Error(`Cannot find module '${name}'`);
}
jest.mock('@nestjs/microservices', () => mockMissing('@nestjs/microservices'));
jest.mock('@nestjs/schedule', () => mockMissing('@nestjs/schedule'));
jest.mock('@nestjs/event-emitter', () => mockMissing('@nestjs/event-emitter'));

@Injectable()
class Greeter {
  greet(): string {
    return 'hello';
  }
}

@Controller()
class GreetController {
  constructor(private readonly greeter: Greeter) {}

  @Get('greet')
  greet(): string {
    return this.greeter.greet();
  }
}

describe('TelemetryModule in an app without the optional Nest packages', () => {
  it('loads none of them and serves as before', async () => {
    const tracing = useInMemoryTracing();
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [TelemetryModule.forRoot()],
        controllers: [GreetController],
        providers: [Greeter],
      }).compile();
      const app = moduleRef.createNestApplication({ logger: false });
      await app.init();
      try {
        await request(app.getHttpServer()).get('/greet').expect(200, 'hello');
      } finally {
        await app.close();
      }

      expect(mockRequired).toEqual([]);
    } finally {
      await tracing.stop();
    }
  });
});
