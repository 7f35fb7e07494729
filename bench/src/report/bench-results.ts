import type { MetricsRenderResult } from '../metrics-render/metrics-render-result';
import type { RecordedSettings } from '../run-bench/bench-settings';
import type { MachineInfo } from '../run-bench/machine';
import type { LoadSample } from '../run-bench/throughput';
import type { UnknownUrlsMemoryResult } from '../run-bench/unknown-urls-memory';
import type { VariantId } from '../run-bench/variants';
import type { SpanCostCase } from '../span-cost/span-cost-result';

/** One variant under `GET /healthz` load: medians over the rounds. */
export interface VariantResult {
  id: VariantId;
  description: string;
  requestsPerSecond: number;
  /** Median over rounds of (this variant's req/s ÷ bare's req/s in the same round). */
  ratioToBare: number;
  p50Ms: number;
  p99Ms: number;
  /** The app's CPU time per request (user + system). */
  cpuUsPerRequest: number;
  /** RSS right after each load. */
  rssMb: number;
  /** RSS after start-up, before any request. */
  idleRssMb: number;
  /** Spans the OTLP sink received per response sent, for the exporting variants (2 = SERVER + @Span child). */
  spansPerRequest: number | null;
  samples: LoadSample[];
}

/** A target from the issue: a variant's req/s ratio to bare at least `minimumRatio`. Reported, never asserted. */
export interface TargetCheck {
  variant: VariantId;
  minimumRatio: number;
  ratio: number;
  met: boolean;
}

export interface BenchResults {
  mode: 'full' | 'smoke';
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  settings: RecordedSettings;
  variants: VariantResult[];
  targets: TargetCheck[];
  spanCost: SpanCostCase[];
  metricsRender: MetricsRenderResult;
  unknownUrlsMemory: UnknownUrlsMemoryResult;
}

export const RESULT_FILES = { json: 'results.json', markdown: 'results.md', chart: 'chart.svg' } as const;
