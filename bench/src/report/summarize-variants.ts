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

/** Medians per variant; each ratio to bare is taken within a round, then the median of those ratios. */
export function summarizeVariants(
  variants: RunningVariant[],
  samples: Map<VariantId, LoadSample[]>,
  sink: SinkStatsByVariant,
): VariantResult[] {
  const bare = samples.get('bare') ?? [];
  return variants.map(({ variant, idleRssMb, responses }) => {
    const own = samples.get(variant.id) ?? [];
    const exported = sink[variant.id];
    return {
      id: variant.id,
      description: variant.description,
      requestsPerSecond: median(own.map((sample) => sample.requestsPerSecond)),
      ratioToBare: median(own.map((sample) => sample.requestsPerSecond / sameRound(bare, sample.round).requestsPerSecond)),
      p50Ms: median(own.map((sample) => sample.p50Ms)),
      p99Ms: median(own.map((sample) => sample.p99Ms)),
      cpuUsPerRequest: median(own.map((sample) => sample.cpuUsPerRequest)),
      rssMb: median(own.map((sample) => sample.rssMb)),
      idleRssMb,
      spansPerRequest: exported ? exported.spans / responses : null,
      samples: own,
    };
  });
}

export function checkTargets(variants: VariantResult[]): TargetCheck[] {
  return TARGETS.flatMap(({ variant, minimumRatio }) => {
    const result = variants.find((candidate) => candidate.id === variant);
    return result ? [{ variant, minimumRatio, ratio: result.ratioToBare, met: result.ratioToBare >= minimumRatio }] : [];
  });
}

function sameRound(samples: LoadSample[], round: number): LoadSample {
  const sample = samples.find((candidate) => candidate.round === round);
  if (!sample) throw new Error(`no bare sample in round ${round}`);
  return sample;
}
