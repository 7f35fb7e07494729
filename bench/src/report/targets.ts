import { ABLATION_STEPS } from '../run-bench/ablation-variants';
import { PEER_VARIANT_IDS } from '../run-bench/peer-variants';
import { median } from '../shared/statistics';
import type { UnknownUrlsMemoryResult } from '../run-bench/unknown-urls-memory';
import type { AblationRow, TargetCheck, VariantResult } from './bench-results';
import { fixed } from './format';

/**
 * `full-protobuf` ÷ bare: Node 24 and 26 serve bare Nest far more cheaply than Node 20 did (where the 0.80 was
 * set; Node 22 keeps it), so the same cost is a lower ratio there.
 */
function fullTelemetryMinimum(nodeVersion: string): number {
  return Number(/^v(\d+)/.exec(nodeVersion)?.[1] ?? 0) >= 24 ? 0.6 : 0.8;
}
const LIB_ON_BARE_MINIMUM = 0.85;
/** Our overhead over bare, in CPU per request, at most this share of the cheapest peer's. */
const SHARE_OF_CHEAPEST_PEER = 2 / 3;

/**
 * The targets of the issue "the benchmark against the peers", as this run measured them. A target whose
 * variants this run did not load is listed as not measured.
 */
export function checkTargets(variants: VariantResult[], nodeVersion: string): TargetCheck[] {
  const find = (id: string): VariantResult | undefined => variants.find((variant) => variant.id === id);
  const bare = find('bare');
  const checks: TargetCheck[] = [];
  const ratioTarget = (id: string, minimum: number): void => {
    const variant = find(id);
    checks.push({
      target: `\`${id}\` ÷ bare ≥ ${fixed(minimum, 2)} (req/s)`,
      measured: variant ? fixed(variant.ratioToBare, 3) : 'not loaded',
      met: variant ? variant.ratioToBare >= minimum : null,
    });
  };
  ratioTarget('full-protobuf', fullTelemetryMinimum(nodeVersion));
  ratioTarget('lib-on-bare', LIB_ON_BARE_MINIMUM);
  checks.push(peerTarget(find('lib-on-bare'), bare, variants));
  checks.push(disabledTarget(find('otel-disabled'), bare));
  checks.push(nothingLostTarget(variants));
  return checks;
}

/** How far RSS may move over the unknown URLs after the warm-up and still be flat. */
const FLAT_RSS_MB = 20;

/**
 * RSS flat over the distinct unknown URLs after the warm-up (the memory check's first and last readings),
 * with what the heap kept after a full GC beside it: growth there would be a leak, growth only in RSS is V8
 * keeping memory it has used.
 */
export function memoryTarget(memory: UnknownUrlsMemoryResult | undefined): TargetCheck {
  const target = `RSS flat (± ${FLAT_RSS_MB} MB) over distinct unknown URLs after the warm-up`;
  if (!memory) return { target, measured: 'no memory check in this run', met: null };
  const { before, after } = memory;
  const change = after.rssMb - before.rssMb;
  const heap =
    before.afterGc && after.afterGc
      ? `; after GC: heap used ${fixed(before.afterGc.heapUsedMb, 1)} → ${fixed(after.afterGc.heapUsedMb, 1)} MB, ` +
        `young generation ${fixed(before.afterGc.newSpaceMb, 1)} → ${fixed(after.afterGc.newSpaceMb, 1)} MB committed`
      : '';
  return {
    target,
    measured: `${fixed(before.rssMb, 1)} → ${fixed(after.rssMb, 1)} MB over ${memory.requests} requests${heap}`,
    met: Math.abs(change) <= FLAT_RSS_MB,
  };
}

/** Our library on the bare app against the cheapest peer, both as CPU µs per request above bare's. */
function peerTarget(
  ours: VariantResult | undefined,
  bare: VariantResult | undefined,
  variants: VariantResult[],
): TargetCheck {
  const target = `our overhead (\`lib-on-bare\` − bare, CPU µs/request) ≤ ⅔ of the cheapest peer's`;
  const peers = variants.filter((variant) => (PEER_VARIANT_IDS as readonly string[]).includes(variant.id));
  if (!ours || !bare || peers.length === 0) return { target, measured: 'no peers in this run', met: null };
  const cheapest = peers.reduce((best, peer) => (peer.cpuUsPerRequest < best.cpuUsPerRequest ? peer : best));
  const ourOverhead = ours.cpuUsPerRequest - bare.cpuUsPerRequest;
  const peerOverhead = cheapest.cpuUsPerRequest - bare.cpuUsPerRequest;
  return {
    target,
    measured: `${fixed(ourOverhead, 1)} µs against ${fixed(peerOverhead, 1)} µs (\`${cheapest.id}\`): ${fixed(ourOverhead / peerOverhead, 2)} of it`,
    met: ourOverhead <= SHARE_OF_CHEAPEST_PEER * peerOverhead,
  };
}

/**
 * `otel-disabled` within the bench's noise of bare, in CPU per request. The noise is how far bare's own
 * samples (every round, every process) stray from their median: the largest relative deviation.
 */
function disabledTarget(disabled: VariantResult | undefined, bare: VariantResult | undefined): TargetCheck {
  const target = '`otel-disabled` within the noise of bare (CPU µs/request)';
  if (!disabled || !bare) return { target, measured: 'not loaded', met: null };
  const bareCpu = bare.samples.map((sample) => sample.cpuUsPerRequest);
  const center = median(bareCpu);
  const noise = Math.max(...bareCpu.map((cpu) => Math.abs(cpu / center - 1)));
  const excess = disabled.cpuUsPerRequest / bare.cpuUsPerRequest - 1;
  return {
    target,
    measured: `${fixed(disabled.cpuUsPerRequest, 1)} against ${fixed(bare.cpuUsPerRequest, 1)} µs (${excess >= 0 ? '+' : ''}${fixed(100 * excess, 1)} %); noise: bare's samples within ±${fixed(100 * noise, 1)} % of their median`,
    met: excess <= noise,
  };
}

/**
 * Every span of our variants reached the sink: spans received = requests × spans per request, where the
 * requests are those answered plus at most one per connection cut off at the end of each timed load.
 */
function nothingLostTarget(variants: VariantResult[]): TargetCheck {
  const counted = variants.filter((variant) => variant.expectedSpansPerRequest !== null);
  const complete = (variant: VariantResult): boolean => {
    const perRequest = variant.expectedSpansPerRequest ?? 0;
    const spans = variant.sinkSpans ?? 0;
    return spans >= variant.responses * perRequest && spans <= (variant.responses + variant.cutOff) * perRequest;
  };
  const lines = counted.map(
    (variant) =>
      `\`${variant.id}\` ${variant.sinkSpans ?? 0} for ${variant.responses} (+ ≤ ${variant.cutOff} cut off) × ${variant.expectedSpansPerRequest ?? 0}`,
  );
  return {
    target: 'nothing lost: spans at the sink = requests × spans per request',
    measured: counted.length > 0 ? lines.join(', ') : 'no exporting variant',
    met: counted.length > 0 ? counted.every(complete) : null,
  };
}

/** The ablation table: each part's marginal CPU per request, where the run loaded both of its steps. */
export function ablationRows(variants: VariantResult[]): AblationRow[] {
  return ABLATION_STEPS.flatMap(({ part, variant, base }) => {
    const withPart = variants.find((candidate) => candidate.id === variant);
    const without = variants.find((candidate) => candidate.id === base);
    if (!withPart || !without) return [];
    const differences = withPart.samples.flatMap((sample) => {
      const paired = without.samples.find(
        (candidate) => candidate.round === sample.round && candidate.replica === sample.replica,
      );
      return paired ? [sample.cpuUsPerRequest - paired.cpuUsPerRequest] : [];
    });
    return [
      {
        part,
        variant,
        base,
        cpuUsPerRequest: withPart.cpuUsPerRequest,
        marginalCpuUs: median(differences),
        marginalRangeUs: [Math.min(...differences), Math.max(...differences)],
        ...(withPart.gc && without.gc
          ? { marginalAllocatedKb: withPart.gc.allocatedKbPerRequest - without.gc.allocatedKbPerRequest }
          : {}),
        ratioToBare: withPart.ratioToBare,
      },
    ];
  });
}
