import 'reflect-metadata';
import { SpanKind } from '@opentelemetry/api';
import { useInMemoryTracing } from '../spec-support/in-memory-tracing';
import { Span } from './span.decorator';
import { NoSpan, Traced } from './traced.decorator';

@Traced({ kind: SpanKind.INTERNAL, attributes: { 'component.name': 'billing' } })
class BillingService {
  private total = 0;

  constructor() {
    this.total = 1;
  }

  charge(amount: number): number {
    this.total += amount;
    return this.total;
  }

  async refund(amount: number): Promise<number> {
    this.total -= amount;
    return this.total;
  }

  @NoSpan()
  internal(): number {
    return this.total;
  }

  @Span('billing.audit')
  audit(): string {
    return 'audited';
  }

  get balance(): number {
    return this.total;
  }

  set balance(value: number) {
    this.total = value;
  }

  static currency(): string {
    return 'EUR';
  }
}

describe('@Traced()', () => {
  let tracing: ReturnType<typeof useInMemoryTracing>;
  const names = (): string[] => tracing.exporter.getFinishedSpans().map((span) => span.name);

  beforeEach(() => (tracing = useInMemoryTracing()));
  afterEach(() => tracing.stop());

  it('puts a span named Class.method around each method, with the class options', async () => {
    const billing = new BillingService();
    expect(billing.charge(5)).toBe(6);
    expect(await billing.refund(2)).toBe(4);
    expect(names()).toEqual(['BillingService.charge', 'BillingService.refund']);
    expect(tracing.exporter.getFinishedSpans()[0].attributes).toEqual({ 'component.name': 'billing' });
  });

  it('leaves out the constructor, getters, setters and @NoSpan() methods', () => {
    const billing = new BillingService();
    billing.balance = 10;
    expect(billing.balance).toBe(10);
    expect(billing.internal()).toBe(10);
    expect(names()).toEqual([]);
  });

  it('does not wrap a method that has @Span() a second time', () => {
    expect(new BillingService().audit()).toBe('audited');
    expect(names()).toEqual(['billing.audit']);
  });

  it('traces static methods too', () => {
    expect(BillingService.currency()).toBe('EUR');
    expect(names()).toEqual(['BillingService.currency']);
  });
});
