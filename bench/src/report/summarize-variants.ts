import type { SinkStatsByVariant } from '../otlp-sink/sink-stats';
import type { RunningVariant } from '../run-bench/running-variant';
import type { LoadSample } from '../run-bench/throughput';
import type { VariantId } from '../run-bench/variants';
import { median } from '../shared/statistics';
import type { TargetCheck, VariantResult } from './bench-results';

/** Targets of the issue "Benchmark the cost of telemetry side by side". */
const TARGETS: ReadonlyArray<{ variant: VariantId; minimumRatio: number }> = [
  { variant: 'full-protobuf', minimumRatio: 0.8 },
  { variant: 'full-json', minimumRatio: 0.8 },
  { variant: 'otel-disabled', minimumRatio: 0.98 },
];

/**
 * Medians per variant over its samples (rounds × processes). Each ratio to bare is taken within a round,
 * against the mean of bare's processes in that round; the variant's ratio is the median of those.
 */
export function summarizeVariants(
  running: RunningVariant[],
  samples: Map<VariantId, LoadSample[]>,
  sink: SinkStatsByVariant,
): VariantResult[] {
  const bare = samples.get('bare') ?? [];
  const variants = [...new Map(running.map((item) => [item.variant.id, item.variant])).values()];
  return variants.map((variant) => {
    const processes = running.filter((item) => item.variant.id === variant.id);
    const responses = processes.reduce((sum, item) => sum + item.responses, 0);
    const own = samples.get(variant.id) ?? [];
    const exported = sink[variant.id];
    return {
      id: variant.id,
      description: variant.description,
      requestsPerSecond: median(own.map((sample) => sample.requestsPerSecond)),
      ratioToBare: median(own.map((sample) => sample.requestsPerSecond / bareInRound(bare, sample.round))),
      p50Ms: median(own.map((sample) => sample.p50Ms)),
      p99Ms: median(own.map((sample) => sample.p99Ms)),
      cpuUsPerRequest: median(own.map((sample) => sample.cpuUsPerRequest)),
      rssMb: median(own.map((sample) => sample.rssMb)),
      idleRssMb: median(processes.map((item) => item.idleRssMb)),
      spansPerRequest: exported ? exported.spans / responses : null,
      samples: own,
    };
  });
}

export function checkTargets(variants: VariantResult[]): TargetCheck[] {
  return TARGETS.flatMap(({ variant, minimumRatio }) => {
    const result = variants.find((candidate) => candidate.id === variant);
    return result
      ? [{ variant, minimumRatio, ratio: result.ratioToBare, met: result.ratioToBare >= minimumRatio }]
      : [];
  });
}

function bareInRound(samples: LoadSample[], round: number): number {
  const inRound = samples.filter((candidate) => candidate.round === round);
  if (inRound.length === 0) throw new Error(`no bare sample in round ${round}`);
  return inRound.reduce((sum, sample) => sum + sample.requestsPerSecond, 0) / inRound.length;
}
