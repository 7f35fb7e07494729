import 'reflect-metadata';
import { metrics, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { throwError } from 'rxjs';
import { startTelemetry } from '../sdk/start-telemetry';
import { getStartedTelemetry, type StartedTelemetry } from '../state/started-telemetry';
import { Counted } from './counted.decorator';
import { lazyInstrument } from './lazy-instruments';
import { Timed } from './timed.decorator';

class PaymentService {
  @Counted()
  @Timed()
  async pay(amount: number): Promise<number> {
    if (amount < 0) throw new RangeError('negative amount');
    return amount;
  }

  @Counted({ name: 'refunds', description: 'Refunds made', attributes: { channel: 'web' } })
  refund(): string {
    return 'refunded';
  }

  @Timed({ name: 'payment.stream' })
  stream() {
    return throwError(() => new TypeError('stream broke'));
  }
}

function start(): void {
  startTelemetry({
    spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
    runtimeMetrics: false,
  });
}

async function scrape(): Promise<string> {
  const exposition = getStartedTelemetry()?.appPortMetrics;
  if (!exposition) throw new Error('telemetry not started');
  return exposition.render();
}

/** The value of the one sample line of `metric` carrying every label in `labels`. */
function sample(text: string, metric: string, labels: string[] = []): number | undefined {
  const line = text
    .split('\n')
    .find((row) => row.startsWith(`${metric}{`) && labels.every((label) => row.includes(label)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('instruments made before the SDK starts', () => {
  afterEach(() => getStartedTelemetry()?.shutdown());

  it('still count once it has started, and in a restarted SDK', async () => {
    const early = lazyInstrument('early-scope', 'counter', 'early_events', { description: 'Early events' });
    expect(metrics.getMeterProvider().constructor.name).toBe('NoopMeterProvider');
    early.add(5);
    start();
    early.add(2);
    expect(sample(await scrape(), 'early_events_total')).toBe(2);
    await getStartedTelemetry()?.shutdown();
    start();
    early.add(3);
    expect(sample(await scrape(), 'early_events_total')).toBe(3);
  });
});

describe('@Counted() and @Timed()', () => {
  const payments = new PaymentService();

  beforeAll(start);
  afterAll(() => getStartedTelemetry()?.shutdown());

  it('count calls by method and outcome, with the semantic-convention attributes', async () => {
    await payments.pay(10);
    await payments.pay(20);
    await expect(payments.pay(-1)).rejects.toThrow(new RangeError('negative amount'));
    const text = await scrape();
    const pay = 'code_function_name="PaymentService.pay"';
    expect(text).toContain('# TYPE method_calls_total counter');
    expect(sample(text, 'method_calls_total', [pay])).toBe(2);
    expect(sample(text, 'method_calls_total', [pay, 'error_type="RangeError"'])).toBe(1);
  });

  it('time calls in a histogram in seconds, labelled the same way', async () => {
    const text = await scrape();
    const pay = 'code_function_name="PaymentService.pay"';
    expect(text).toContain('# TYPE method_duration_seconds histogram');
    expect(sample(text, 'method_duration_seconds_count', [pay])).toBe(2);
    expect(sample(text, 'method_duration_seconds_count', [pay, 'error_type="RangeError"'])).toBe(1);
    expect(sample(text, 'method_duration_seconds_bucket', [pay, 'le="10"'])).toBe(2);
    expect(sample(text, 'method_duration_seconds_sum', [pay])).toBeLessThan(10);
  });

  it('take a name, a description and attributes', async () => {
    payments.refund();
    const text = await scrape();
    expect(text).toContain('# HELP refunds_total Refunds made');
    expect(sample(text, 'refunds_total', ['channel="web"', 'code_function_name="PaymentService.refund"'])).toBe(1);
  });

  it('measure Observables when they end', async () => {
    payments.stream().subscribe({ error: () => undefined });
    expect(sample(await scrape(), 'payment_stream_seconds_count', ['error_type="TypeError"'])).toBe(1);
  });
});

describe('exemplars', () => {
  beforeAll(start);
  afterAll(() => getStartedTelemetry()?.shutdown());

  it('tie a counter and a histogram to the span active when they recorded, in the OpenMetrics exposition', async () => {
    const counter = lazyInstrument('exemplar-scope', 'counter', 'checked', { description: 'Checks' });
    const payments = new PaymentService();
    let traceId = '';
    await trace.getTracer('test').startActiveSpan('request', async (span) => {
      traceId = span.spanContext().traceId;
      counter.add(1);
      await payments.pay(5);
      span.end();
    });
    const { body, contentType } = await appPortExposition().scrape(
      'application/openmetrics-text;version=1.0.0',
      undefined,
    );
    expect(contentType).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
    expect(body).toMatch(
      new RegExp(
        `^checked_total\\{otel_scope_name="exemplar-scope"\\} 1 # \\{trace_id="${traceId}",span_id="[0-9a-f]{16}"\\} 1 `,
        'm',
      ),
    );
    expect(body).toMatch(new RegExp(`^method_duration_seconds_bucket\\{[^}]*\\} 1 # \\{trace_id="${traceId}"`, 'm'));
    expect(String(body).endsWith('# EOF\n')).toBe(true);
  });

  it('are left out of the plain text format', async () => {
    const { body, contentType } = await appPortExposition().scrape('text/plain', undefined);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(body).not.toContain('trace_id');
  });
});

function appPortExposition(): NonNullable<StartedTelemetry['appPortMetrics']> {
  const exposition = getStartedTelemetry()?.appPortMetrics;
  if (!exposition) throw new Error('telemetry is not started with metrics on the app port');
  return exposition;
}
