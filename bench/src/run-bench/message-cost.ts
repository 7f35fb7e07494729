import {
  MESSAGE_COST_CASES,
  type MessageCostCase,
  type MessageCostSample,
  type MessageCostSettings,
} from '../message-cost/message-cost-result';
import { median } from '../shared/statistics';
import { runMicroBenchmark } from './run-micro-benchmark';
import { readSinkStats } from './sink-stats-client';

/** The sink's name for a case's exports: the first path segment of its OTLP endpoint. */
function sinkVariant(caseId: string): string {
  return `message-cost-${caseId}`;
}

/**
 * The per-message micro-benchmark: each case in `settings.processes` fresh processes, the cases alternating so that
 * machine noise hits both alike; its traced spans exported to the bench's sink, which counts them.
 */
export async function measureMessageCost(
  settings: MessageCostSettings,
  sinkUrl: string,
  node: string,
): Promise<MessageCostCase[]> {
  const samples = new Map<string, MessageCostSample[]>();
  for (let round = 0; round < settings.processes; round++) {
    for (const definition of MESSAGE_COST_CASES) {
      const sample = await runMicroBenchmark<MessageCostSample>('message-cost', settings, node, {
        ...definition.env,
        OTEL_EXPORTER_OTLP_ENDPOINT: `${sinkUrl}/${sinkVariant(definition.id)}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      });
      samples.set(definition.id, [...(samples.get(definition.id) ?? []), sample]);
    }
  }
  const sink = await readSinkStats(sinkUrl);
  const measured = MESSAGE_COST_CASES.map((definition) => {
    const ofCase = samples.get(definition.id) ?? [];
    return {
      id: definition.id,
      label: definition.label,
      cpuUsPerMessage: median(ofCase.map((sample) => sample.cpuUsPerMessage)),
      elapsedUsPerMessage: median(ofCase.map((sample) => sample.elapsedUsPerMessage)),
      messages: ofCase.reduce((sum, sample) => sum + sample.messages, 0),
      spansExported: definition.id === 'traced' ? (sink[sinkVariant(definition.id)]?.spans ?? 0) : null,
    };
  });
  const untracedCpuUs = measured.find((item) => item.id === 'untraced')?.cpuUsPerMessage ?? Number.NaN;
  return measured.map((item) => ({ ...item, overheadCpuUs: item.cpuUsPerMessage - untracedCpuUs }));
}
