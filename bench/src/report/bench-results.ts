import type { MetricsRenderResult } from '../metrics-render/metrics-render-result';
import type { MessageCostCase } from '../message-cost/message-cost-result';
import type { RecordedSettings } from '../run-bench/bench-settings';
import type { GcStats } from '../run-bench/gc-trace';
import type { InstructionResult } from '../run-bench/instructions-run';
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
  /** Median over rounds of (this variant's req/s ÷ its bare's req/s in the same round). */
  ratioToBare: number;
  /** Its bare: `bare` (express), or the bare app of its own platform (`bare-fastify`). */
  ratioBase: VariantId;
  p50Ms: number;
  p99Ms: number;
  /** The app's CPU time per request (user + system). */
  cpuUsPerRequest: number;
  /** RSS right after each load. */
  rssMb: number;
  /** RSS after start-up, before any request. */
  idleRssMb: number;
  /** Spans the sink received per response sent, for the exporting variants (2 = SERVER + @Span child). */
  spansPerRequest: number | null;
  /** Spans the sink received and the responses sent, warm-up included: "nothing lost" compares them. */
  sinkSpans: number | null;
  responses: number;
  /** Requests possibly served but not counted as responses: one per connection at the end of each timed load. */
  cutOff: number;
  /** The spans each request must produce, where the variant says (ours); `null` for an agent's own count. */
  expectedSpansPerRequest: number | null;
  /** With `--gc-stats`: V8's GC trace over the measured rounds. */
  gc?: GcStats;
  samples: LoadSample[];
}

/** A target of the issue, as the run measured it. Reported (met / not met / not measured), never asserted. */
export interface TargetCheck {
  target: string;
  measured: string;
  /** `null` when this run did not load what the target needs (no peers, an ablation run). */
  met: boolean | null;
}

/** One row of the ablation table: the CPU per request that `variant` adds to `base`. */
export interface AblationRow {
  part: string;
  variant: VariantId;
  base: VariantId;
  cpuUsPerRequest: number;
  /** Median over rounds (and processes) of the step's CPU per request minus its base's in the same round. */
  marginalCpuUs: number;
  /** The smallest and largest of those per-round differences: how well the run resolves this part. */
  marginalRangeUs: [number, number];
  /** With `--gc-stats`: the KB per request the part adds to what the JS heap allocates (machine load does not move it). */
  marginalAllocatedKb?: number;
  ratioToBare: number;
}

export interface BenchResults {
  mode: 'full' | 'smoke';
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  settings: RecordedSettings;
  variants: VariantResult[];
  targets: TargetCheck[];
  /** `--ablation` runs: the marginal cost of each part. */
  ablation?: AblationRow[];
  /** Standard runs only (not `--ablation` or `--variants`). */
  spanCost?: SpanCostCase[];
  metricsRender?: MetricsRenderResult;
  /** The cost of a microservice message, traced against untraced (standard runs). */
  messageCost?: MessageCostCase[];
  unknownUrlsMemory?: UnknownUrlsMemoryResult;
  /** `--instructions`: each variant's instructions per request under callgrind. */
  instructions?: InstructionResult[];
  /** `--instructions`: the valgrind that counted them (`valgrind-3.19.0`). */
  valgrind?: string;
}

export const RESULT_FILES = { json: 'results.json', markdown: 'results.md', chart: 'chart.svg' } as const;
