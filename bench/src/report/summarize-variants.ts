import type { SinkStatsByVariant } from '../otlp-sink/sink-stats';
import type { RunningVariant } from '../run-bench/running-variant';
import type { LoadSample } from '../run-bench/throughput';
import type { VariantId } from '../run-bench/variants';
import { median } from '../shared/statistics';
import type { VariantResult } from './bench-results';

/**
 * Medians per variant over its samples (rounds × processes). Each ratio to bare is taken within a round,
 * against the mean of its bare's processes in that round (`bare`, or the variant's `ratioBase`: the bare app
 * of its own platform); the variant's ratio is the median of those.
 */
export function summarizeVariants(
  running: RunningVariant[],
  samples: Map<VariantId, LoadSample[]>,
  sink: SinkStatsByVariant,
): VariantResult[] {
  const variants = [...new Map(running.map((item) => [item.variant.id, item.variant])).values()];
  return variants.map((variant) => {
    const processes = running.filter((item) => item.variant.id === variant.id);
    const responses = processes.reduce((sum, item) => sum + item.responses, 0);
    const own = samples.get(variant.id) ?? [];
    const bare = samples.get(variant.ratioBase ?? 'bare') ?? [];
    const exported = sink[variant.sinkKey ?? variant.id];
    return {
      id: variant.id,
      description: variant.description,
      requestsPerSecond: median(own.map((sample) => sample.requestsPerSecond)),
      ratioToBare: median(own.map((sample) => sample.requestsPerSecond / bareInRound(bare, sample.round))),
      ratioBase: variant.ratioBase ?? 'bare',
      p50Ms: median(own.map((sample) => sample.p50Ms)),
      p99Ms: median(own.map((sample) => sample.p99Ms)),
      cpuUsPerRequest: median(own.map((sample) => sample.cpuUsPerRequest)),
      rssMb: median(own.map((sample) => sample.rssMb)),
      idleRssMb: median(processes.map((item) => item.idleRssMb)),
      spansPerRequest: exported ? exported.spans / responses : null,
      sinkSpans: exported ? exported.spans : null,
      responses,
      cutOff: processes.reduce((sum, item) => sum + item.cutOff, 0),
      expectedSpansPerRequest: variant.spansPerRequest ?? null,
      samples: own,
    };
  });
}

function bareInRound(samples: LoadSample[], round: number): number {
  const inRound = samples.filter((candidate) => candidate.round === round);
  if (inRound.length === 0) throw new Error(`no bare sample in round ${round}`);
  return inRound.reduce((sum, sample) => sum + sample.requestsPerSecond, 0) / inRound.length;
}
