import 'reflect-metadata';
import {
  type CallHandler,
  type CanActivate,
  Controller,
  Get,
  Injectable,
  Param,
  ParseIntPipe,
  UseGuards,
  UseInterceptors,
  type INestApplication,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace';
import { defer, map, Observable, of, Subject, throwError } from 'rxjs';
import request from 'supertest';
import { useInMemoryTracing } from '../spec-support/in-memory-tracing';
import { createPlatformApp, HTTP_PLATFORMS } from '../spec-support/nest-platforms';
import { Span } from './span.decorator';
import { Traced } from './traced.decorator';

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

class Worker {
  pending = deferred<string>();

  @Span()
  syncWork(value: number): number {
    return value * 2;
  }

  @Span('custom.name', { kind: SpanKind.CLIENT, attributes: { 'work.kind': 'named' } })
  named(): string {
    return 'ok';
  }

  @Span()
  async asyncWork(): Promise<string> {
    return this.pending.promise;
  }

  // Deliberately not `async`: the span must still last until the returned promise settles.
  @Span()
  promiseWork(): Promise<string> {
    return this.pending.promise;
  }

  @Span()
  throws(): never {
    throw new RangeError('sync failure');
  }

  @Span()
  async rejects(): Promise<never> {
    throw new TypeError('async failure');
  }

  @Span()
  nested(): number {
    return this.syncWork(1);
  }

  @Span()
  usesThis(): Worker {
    return this;
  }

  @Span()
  static create(): string {
    return 'static';
  }

  @Span('order.load', {
    attributes: (id: string, quantity: number) => ({ 'order.id': id, 'order.quantity': quantity }),
  })
  load(id: string, quantity: number): string {
    return `${id}x${quantity}`;
  }

  @Span('attributes.fail', {
    attributes: () => {
      throw new Error('cannot compute');
    },
  })
  badAttributes(): string {
    return 'still runs';
  }

  stream = new Subject<number>();

  @Span()
  watch(): Observable<number> {
    return this.stream.asObservable();
  }

  @Span()
  failingStream(): Observable<never> {
    return throwError(() => new Error('stream failed'));
  }

  @Span()
  nestedInStream(): Observable<number> {
    return defer(() => of(this.syncWork(2)));
  }
}

describe('@Span()', () => {
  let tracing: ReturnType<typeof useInMemoryTracing>;
  let exporter: InMemorySpanExporter;
  let worker: Worker;
  const finished = (): ReadableSpan[] => exporter.getFinishedSpans();

  beforeEach(() => {
    tracing = useInMemoryTracing();
    exporter = tracing.exporter;
    worker = new Worker();
  });
  afterEach(() => tracing.stop());

  it('names the span Class.method and ends it when a synchronous method returns', () => {
    expect(worker.syncWork(21)).toBe(42);
    expect(finished().map((span) => span.name)).toEqual(['Worker.syncWork']);
    expect(finished()[0].status.code).toBe(SpanStatusCode.UNSET);
  });

  it('uses the given name, kind and attributes', () => {
    worker.named();
    const [span] = finished();
    expect(span.name).toBe('custom.name');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toEqual({ 'work.kind': 'named' });
  });

  it('names static methods after their class', () => {
    expect(Worker.create()).toBe('static');
    expect(finished()[0].name).toBe('Worker.create');
  });

  it('keeps `this` and the method name', () => {
    expect(worker.usesThis()).toBe(worker);
    expect(Worker.prototype.syncWork.name).toBe('syncWork');
  });

  it('is a child of the span active at the call', () => {
    trace.getTracer('test').startActiveSpan('parent', (parent) => {
      worker.nested();
      parent.end();
    });
    const byName = new Map(finished().map((span) => [span.name, span]));
    const parent = byName.get('parent');
    const nested = byName.get('Worker.nested');
    const inner = byName.get('Worker.syncWork');
    expect(nested?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
    expect(inner?.parentSpanContext?.spanId).toBe(nested?.spanContext().spanId);
    expect(parent).toBeDefined();
    expect(new Set(finished().map((span) => span.spanContext().traceId)).size).toBe(1);
  });

  it.each(['asyncWork', 'promiseWork'] as const)(
    'ends the span of %s only when its promise resolves',
    async (method) => {
      const result = worker[method]();
      await new Promise((resolve) => setImmediate(resolve));
      expect(finished()).toHaveLength(0);
      worker.pending.resolve('done');
      await expect(result).resolves.toBe('done');
      expect(finished().map((span) => span.name)).toEqual([`Worker.${method}`]);
    },
  );

  it('ends a non-async method’s span with ERROR when its promise rejects, rethrowing the same error', async () => {
    const failure = new Error('late failure');
    const result = worker.promiseWork();
    worker.pending.reject(failure);
    await expect(result).rejects.toBe(failure);
    const [span] = finished();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'late failure' });
    expect(span.events[0].name).toBe('exception');
  });

  it('records a thrown error as an exception event with ERROR status and rethrows it unchanged', () => {
    let thrown: unknown;
    try {
      worker.throws();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RangeError);
    expect((thrown as Error).message).toBe('sync failure');
    const [span] = finished();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'sync failure' });
    expect(span.events).toHaveLength(1);
    expect(span.events[0].name).toBe('exception');
    expect(span.events[0].attributes).toMatchObject({
      'exception.type': 'RangeError',
      'exception.message': 'sync failure',
    });
  });

  it('records an async rejection the same way', async () => {
    await expect(worker.rejects()).rejects.toThrow(new TypeError('async failure'));
    const [span] = finished();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.events[0].attributes).toMatchObject({ 'exception.type': 'TypeError' });
  });

  it('computes attributes from the call’s arguments', () => {
    expect(worker.load('o-1', 3)).toBe('o-1x3');
    expect(finished()[0].attributes).toEqual({ 'order.id': 'o-1', 'order.quantity': 3 });
  });

  it('still runs the method when its attributes cannot be computed', () => {
    expect(worker.badAttributes()).toBe('still runs');
    expect(finished()[0].name).toBe('attributes.fail');
    expect(finished()[0].attributes).toEqual({});
  });

  describe('methods returning an Observable', () => {
    it('end the span when the Observable completes, not when the method returns', () => {
      const seen: number[] = [];
      const subscription = worker.watch().subscribe((value) => seen.push(value));
      worker.stream.next(1);
      worker.stream.next(2);
      expect(finished()).toHaveLength(0);
      worker.stream.complete();
      expect(seen).toEqual([1, 2]);
      expect(finished().map((span) => [span.name, span.status.code])).toEqual([['Worker.watch', SpanStatusCode.UNSET]]);
      subscription.unsubscribe();
      expect(finished()).toHaveLength(1);
    });

    it('end the span with ERROR when the Observable errors, passing the error on', () => {
      let received: unknown;
      worker.failingStream().subscribe({ error: (error) => (received = error) });
      expect((received as Error).message).toBe('stream failed');
      expect(finished()[0].status).toEqual({ code: SpanStatusCode.ERROR, message: 'stream failed' });
    });

    it('end the span when the subscriber unsubscribes', () => {
      const subscription = worker.watch().subscribe();
      expect(finished()).toHaveLength(0);
      subscription.unsubscribe();
      expect(finished().map((span) => span.name)).toEqual(['Worker.watch']);
    });

    it('end the span once however many subscribe', () => {
      const observable = worker.watch();
      observable.subscribe();
      observable.subscribe();
      worker.stream.complete();
      expect(finished()).toHaveLength(1);
    });

    it('run the subscription inside the span, so work done there is its child', () => {
      worker.nestedInStream().subscribe();
      const byName = new Map(finished().map((span) => [span.name, span]));
      expect(byName.get('Worker.syncWork')?.parentSpanContext?.spanId).toBe(
        byName.get('Worker.nestedInStream')?.spanContext().spanId,
      );
    });
  });

  it('refuses to decorate something that is not a method', () => {
    const decorate = Span();
    expect(() => decorate({}, 'field', { value: 42 })).toThrow(/decorates methods only; field is not a method/);
  });
});

@Injectable()
class DenyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest().headers['x-allow'] === 'yes';
  }
}

/** Wraps the handler's answer: the interceptor ran around the @Span() wrapper. */
@Injectable()
class EnvelopeInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(map((data: unknown) => ({ data })));
  }
}

@Controller('items')
class ItemsController {
  // @Span() above the route decorator: the route metadata is set on the original and must be copied.
  @Span()
  @Get(':id')
  find(@Param('id', ParseIntPipe) id: number): { id: number; type: string } {
    return { id, type: typeof id };
  }

  // @Span() below: the route decorator sees the wrapper.
  @Get()
  @UseGuards(DenyGuard)
  @Span()
  list(): string[] {
    return ['a'];
  }

  @Get('wrapped/:id')
  @UseInterceptors(EnvelopeInterceptor)
  @Span()
  wrapped(@Param('id', ParseIntPipe) id: number): { id: number } {
    return { id };
  }
}

/** Every handler in a span of its own by @Traced(), with a guard and a pipe on one of them. */
@Traced()
@Controller('catalog')
class CatalogController {
  @Get(':id')
  @UseGuards(DenyGuard)
  entry(@Param('id', ParseIntPipe) id: number): { id: number } {
    return { id };
  }
}

describe.each(HTTP_PLATFORMS)('@Span() and @Traced() on Nest handlers, on %s', (platform) => {
  let tracing: ReturnType<typeof useInMemoryTracing>;
  let app: INestApplication;

  beforeAll(async () => {
    tracing = useInMemoryTracing();
    const moduleRef = await Test.createTestingModule({ controllers: [ItemsController, CatalogController] }).compile();
    app = await createPlatformApp(moduleRef, platform);
  });
  afterAll(async () => {
    await app.close();
    await tracing.stop();
  });
  beforeEach(() => tracing.exporter.reset());

  it('still routes and applies pipes when @Span() is above @Get()', async () => {
    await request(app.getHttpServer()).get('/items/7').expect(200, { id: 7, type: 'number' });
    await request(app.getHttpServer()).get('/items/seven').expect(400);
    expect(tracing.exporter.getFinishedSpans().map((span) => span.name)).toEqual(['ItemsController.find']);
  });

  it('still applies guards when @Span() is below @UseGuards()', async () => {
    await request(app.getHttpServer()).get('/items').expect(403);
    expect(tracing.exporter.getFinishedSpans()).toHaveLength(0);
    await request(app.getHttpServer()).get('/items').set('x-allow', 'yes').expect(200, ['a']);
    expect(tracing.exporter.getFinishedSpans().map((span) => span.name)).toEqual(['ItemsController.list']);
  });

  it('still runs interceptors around a @Span() handler, the span ending with the handler', async () => {
    await request(app.getHttpServer())
      .get('/items/wrapped/3')
      .expect(200, { data: { id: 3 } });
    await request(app.getHttpServer()).get('/items/wrapped/three').expect(400);
    expect(tracing.exporter.getFinishedSpans().map((span) => span.name)).toEqual(['ItemsController.wrapped']);
  });

  it('keeps guards and pipes of a @Traced() controller working, each handled request in its span', async () => {
    await request(app.getHttpServer()).get('/catalog/5').expect(403);
    await request(app.getHttpServer()).get('/catalog/five').set('x-allow', 'yes').expect(400);
    await request(app.getHttpServer()).get('/catalog/5').set('x-allow', 'yes').expect(200, { id: 5 });
    expect(tracing.exporter.getFinishedSpans().map((span) => span.name)).toEqual(['CatalogController.entry']);
  });
});
