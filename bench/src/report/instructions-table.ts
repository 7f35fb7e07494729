import { ABLATION_STEPS } from '../run-bench/ablation-variants';
import type { InstructionResult } from '../run-bench/instructions-run';
import type { BenchResults, VariantResult } from './bench-results';
import { fixed, integer } from './format';

/** `--instructions`: instructions per request and their split, with CPU µs and req/s of the native load beside them. */
export function instructionsTable({ instructions, variants, settings, valgrind }: BenchResults): string | undefined {
  if (!instructions) return undefined;
  const bare = instructions.find((result) => result.id === 'bare');
  const counts = settings.instructions;
  const rows = instructions.map((result) => {
    const native = variants.find((variant) => variant.id === result.id);
    const { perRequest: split } = result;
    return (
      `| \`${result.id}\` | ${integer(split.total)} | ${integer((result.totalRange[1] - result.totalRange[0]) / 2)} | ` +
      `${bare ? signedInteger(split.total - bare.perRequest.total) : '—'} | ${integer(split.compiler)} | ${integer(split.gc)} | ` +
      `${integer(split.jitCode)} | ${integer(split.other)} | ${nativeFigures(native)} |`
    );
  });
  return [
    `${valgrind ?? 'valgrind'}, callgrind: each process warmed up with ${integer(counts?.warmUpRequests ?? 0)} requests uncounted, ` +
      `then ${integer(counts?.countedRequests ?? 0)} counted (${counts?.connections ?? 0} connections), every thread of the app; ` +
      `${counts?.processesPerVariant ?? 0} process(es) per variant, interleaved; the median of the processes, ± half their range. ` +
      'Split by the function each instruction ran in: V8 compiler (parser, bytecode, Sparkplug, Maglev, TurboFan), GC, ' +
      'JIT-compiled code (no symbol), and the rest (interpreter, builtins, libuv, OpenSSL, malloc). CPU µs and req/s ' +
      `are from the load without valgrind (${settings.rounds} rounds × ${settings.runSeconds} s per process).` +
      (counts?.functions
        ? ' With --functions: V8 wrote its perf map, which adds GC work to every count (compare totals without it).'
        : ''),
    '',
    '| variant | instructions / request | ± | − bare | V8 compiler | GC | JIT code | other | CPU µs / request | req/s |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...rows,
  ].join('\n');
}

/** The ablation ladder in instructions: each part's marginal instructions per request. */
export function instructionAblationTable({ instructions, ablation = [] }: BenchResults): string | undefined {
  if (!instructions) return undefined;
  const find = (id: string): InstructionResult | undefined => instructions.find((result) => result.id === id);
  const rows = ABLATION_STEPS.flatMap(({ part, variant, base }) => {
    const step = find(variant);
    const against = find(base);
    if (!step || !against) return [];
    const marginal = step.perRequest.total - against.perRequest.total;
    const spread = step.totalRange[1] - step.totalRange[0] + (against.totalRange[1] - against.totalRange[0]);
    const cpu = ablation.find((row) => row.variant === variant && row.base === base);
    return [
      `| ${part} | \`${variant}\` | \`${base}\` | ${signedInteger(marginal)} | ± ${integer(spread / 2)} | ` +
        `${signedInteger(step.perRequest.compiler - against.perRequest.compiler)} | ${cpu ? fixed(cpu.marginalCpuUs, 1) : '—'} |`,
    ];
  });
  if (rows.length === 0) return undefined;
  return [
    'What each part of @obs/telemetry adds per request, in instructions: the difference between the ladder step that ' +
      'adds it and the step before (medians of their processes). "±" is half the two steps\' process ranges summed: a ' +
      'marginal within it is not resolved. The compiler column shows how much of a difference is V8 still compiling.',
    '',
    '| part | step | against | marginal instructions / request | ± | of which V8 compiler | marginal CPU µs (native) |',
    '|---|---|---|--:|--:|--:|--:|',
    ...rows,
  ].join('\n');
}

/** Functions listed per variant in the report (more are kept in results.json). */
const REPORTED_FUNCTIONS = 25;

/**
 * Each variant's costliest functions in its first counted process, exclusive instructions per request: V8's
 * JIT code named by its perf map (`name package/file:line`), the rest by callgrind's symbols. Compare
 * variants by function, not by rank: a function inlined into another counts under its caller.
 */
export function instructionFunctionsTable({ instructions }: BenchResults): string | undefined {
  const listed = (instructions ?? []).filter((result) => (result.samples[0]?.functions ?? []).length > 0);
  if (listed.length === 0) return undefined;
  return listed
    .map((result) =>
      [
        `\`${result.id}\` (process ${result.samples[0]?.replica ?? 0}):`,
        '',
        '| instructions / request | function |',
        '|--:|---|',
        ...(result.samples[0]?.functions ?? [])
          .slice(0, REPORTED_FUNCTIONS)
          .map((fn) => `| ${integer(fn.perRequest)} | \`${fn.name.replace(/[|`]/g, ' ').slice(0, 100)}\` |`),
      ].join('\n'),
    )
    .join('\n\n');
}

function nativeFigures(native: VariantResult | undefined): string {
  return native ? `${fixed(native.cpuUsPerRequest, 1)} | ${integer(native.requestsPerSecond)}` : '— | —';
}

function signedInteger(value: number): string {
  return `${value >= 0 ? '+' : '−'}${integer(Math.abs(value))}`;
}
