import { MqttContext, NatsContext, Transport } from '@nestjs/microservices';
import { metrics } from '@opentelemetry/api';
import { type HistogramMetricData, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { useInMemoryTracing } from '../spec-support/in-memory-tracing';
import { destinationTemplate } from './message-carriers';
import { type HookableServer, traceServer } from './message-servers';

class CollectingReader extends MetricReader {
  protected override onForceFlush = (): Promise<void> => Promise.resolve();
  protected override onShutdown = (): Promise<void> => Promise.resolve();
}

describe('destinationTemplate', () => {
  it.each([
    ['mqtt', 'orders/+/created', 'orders/42/created', 'orders/+/created'],
    ['mqtt', 'orders/#', 'orders/42/created', 'orders/#'],
    ['mqtt', 'orders/+/created', 'orders/42/paid', undefined],
    ['mqtt', 'orders/+', 'orders/42/created', undefined],
    ['nats', 'orders.*.created', 'orders.42.created', 'orders.*.created'],
    ['nats', 'orders.>', 'orders.42.created', 'orders.>'],
    ['nats', 'orders.created', 'orders.created', undefined],
    ['rabbitmq', 'orders.*', 'orders.created', undefined],
  ])('%s: %s matching %s is %s', (system, pattern, destination, expected) => {
    expect(destinationTemplate(system, [pattern], destination)).toBe(expected);
  });
});

describe('a message to a wildcard subscription', () => {
  it('names the span and the metric series by the pattern, the destination on the span only', async () => {
    const tracing = useInMemoryTracing();
    const reader = new CollectingReader();
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    try {
      const hooks: { start?: Parameters<Required<HookableServer>['setOnProcessingStartHook']>[0] } = {};
      let end: Parameters<Required<HookableServer>['setOnProcessingEndHook']>[0] | undefined;
      traceServer({
        transportId: Transport.MQTT,
        getHandlers: () => new Map([['orders/+/created', () => undefined]]),
        setOnProcessingStartHook: (hook) => (hooks.start = hook),
        setOnProcessingEndHook: (hook) => (end = hook),
      });
      for (const id of [41, 42]) {
        const context = new MqttContext([`orders/${id}/created`, {}]);
        await hooks.start?.(Transport.MQTT, context, async () => end?.(Transport.MQTT, context));
      }

      const spans = tracing.exporter.getFinishedSpans();
      expect(spans.map((span) => span.name)).toEqual(['process orders/+/created', 'process orders/+/created']);
      expect(spans[1]?.attributes).toMatchObject({
        'messaging.destination.name': 'orders/42/created',
        'messaging.destination.template': 'orders/+/created',
      });
      const { resourceMetrics } = await reader.collect();
      const metric = resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .find((candidate) => candidate.descriptor.name === 'messaging.process.duration') as HistogramMetricData;
      expect(metric.dataPoints.map((point) => [point.attributes, point.value.count])).toEqual([
        [
          {
            'messaging.system': 'mqtt',
            'messaging.destination.template': 'orders/+/created',
            'messaging.operation.name': 'process',
            'messaging.operation.type': 'process',
          },
          2,
        ],
      ]);
    } finally {
      metrics.disable();
      await tracing.stop();
    }
  });

  it('reads a NATS subject from its context', async () => {
    const tracing = useInMemoryTracing();
    try {
      let start: Parameters<Required<HookableServer>['setOnProcessingStartHook']>[0] | undefined;
      let end: Parameters<Required<HookableServer>['setOnProcessingEndHook']>[0] | undefined;
      traceServer({
        transportId: Transport.NATS,
        getHandlers: () => new Map([['orders.*', () => undefined]]),
        setOnProcessingStartHook: (hook) => (start = hook),
        setOnProcessingEndHook: (hook) => (end = hook),
      });
      const context = new NatsContext(['orders.created', undefined]);
      await start?.(Transport.NATS, context, async () => end?.(Transport.NATS, context));

      expect(tracing.exporter.getFinishedSpans().map((span) => span.name)).toEqual(['process orders.*']);
    } finally {
      await tracing.stop();
    }
  });
});
