import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { InstructionSplit } from './callgrind-dump';
import { countInstructions, type InstructionSample, type InstructionSettings } from './instruction-count';
import { median } from '../shared/statistics';
import { progress } from './progress';
import type { AppLaunch } from './running-variant';
import type { Variant, VariantId } from './variants';

/** A variant's instructions per request over its processes. */
export interface InstructionResult {
  id: VariantId;
  /** Component-wise median over the processes. */
  perRequest: InstructionSplit;
  /** The smallest and largest total per request among the processes: the spread the median hides. */
  totalRange: [number, number];
  samples: InstructionSample[];
}

/** The variants an `--instructions` run counts unless `--variants` or `--ablation` says otherwise. */
export const INSTRUCTION_VARIANTS: readonly VariantId[] = ['bare', 'otel-disabled', 'lib-on-bare', 'full-protobuf'];
/** The peer the targets compare against, counted when the peers are installed. */
export const INSTRUCTION_PEERS: readonly VariantId[] = ['peer-dd-trace'];

/**
 * Each variant's processes counted one at a time under callgrind, interleaved: every variant's first
 * process, then every variant's second in a rotated order, so that a change of machine or of the
 * system over the run does not fall on one variant alone.
 */
export async function measureInstructions(
  selected: readonly Variant[],
  sinkUrl: string,
  logDir: string,
  launch: AppLaunch,
  settings: InstructionSettings,
): Promise<InstructionResult[]> {
  const samples = new Map<VariantId, InstructionSample[]>(selected.map((variant) => [variant.id, []]));
  const kept = join(logDir, 'instruction-samples.jsonl');
  mkdirSync(logDir, { recursive: true });
  rmSync(kept, { force: true });
  for (let replica = 0; replica < settings.processesPerVariant; replica++) {
    for (const variant of rotate(selected, replica)) {
      const sample = await countInstructions(variant, replica, sinkUrl, logDir, launch, settings);
      samples.get(variant.id)?.push(sample);
      // Each count takes minutes: kept as it comes, so that a failure later in the run does not lose it.
      appendFileSync(kept, `${JSON.stringify({ id: variant.id, ...sample })}\n`);
      progress(`callgrind ${variant.id}#${replica}: ${describe(sample.perRequest)} per request`);
    }
  }
  return selected.map((variant) => summarize(variant.id, samples.get(variant.id) ?? []));
}

function summarize(id: VariantId, samples: InstructionSample[]): InstructionResult {
  const of = (key: keyof InstructionSplit): number => median(samples.map((sample) => sample.perRequest[key]));
  const totals = samples.map((sample) => sample.perRequest.total);
  return {
    id,
    perRequest: {
      total: of('total'),
      compiler: of('compiler'),
      gc: of('gc'),
      jitCode: of('jitCode'),
      other: of('other'),
    },
    totalRange: [Math.min(...totals), Math.max(...totals)],
    samples,
  };
}

function describe(split: InstructionSplit): string {
  const k = (value: number): string => `${Math.round(value / 1000)}k`;
  return `${k(split.total)} instructions (compiler ${k(split.compiler)}, GC ${k(split.gc)}, JIT code ${k(split.jitCode)}, other ${k(split.other)})`;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
