/**
 * Where a Node process's instructions went, from one callgrind dump: its total and the exclusive
 * instructions of V8's compilers, of its garbage collector, of JIT-compiled code, and of everything else
 * (the interpreter and builtins, libuv, OpenSSL, malloc, the kernel interface).
 */
export interface InstructionSplit {
  total: number;
  /** Parsing, bytecode generation, Sparkplug, Maglev, TurboFan/Turboshaft: work that fades as the app warms up. */
  compiler: number;
  /** Scavenges, mark-compact, sweeping, evacuation, concurrent marking. */
  gc: number;
  /** Code V8 generated at run time: callgrind sees addresses without a symbol (`0x…` in an unnamed object). */
  jitCode: number;
  other: number;
}

/** V8's front end and compiler tiers, by C++ namespace or class (a baseline-compiled or optimized function's own code is `jitCode`). */
const COMPILER =
  /v8::internal::(compiler::|maglev::|turboshaft::|baseline::|wasm::|Parser|Scanner|AstValueFactory|interpreter::Bytecode(Generator|ArrayBuilder|ArrayWriter|RegisterOptimizer)|Compil|Optimiz)|Compile/;
const GC = /Scaveng|MarkCompact|Marking|Sweep|heap::|Heap::|Evacuat|MinorMS|ConcurrentMark/;
const JIT_CODE = /^0x[0-9a-f]+('\d+)?$/;

/** The category of a function's exclusive instructions, by its name. */
export function categoryOf(functionName: string): Exclude<keyof InstructionSplit, 'total'> {
  if (JIT_CODE.test(functionName)) return 'jitCode';
  if (GC.test(functionName)) return 'gc';
  if (COMPILER.test(functionName)) return 'compiler';
  return 'other';
}

/**
 * Sums a callgrind dump (`positions: line`, `events: Ir`, names compressed as `(id) name`) into its split.
 * A cost line right after `calls=` is the callee's inclusive cost, already counted under the callee, so it
 * is skipped: what remains per function is its exclusive cost. `totals:` (or `summary:`) is the total.
 */
export function splitInstructions(dump: string): InstructionSplit {
  const names = new Map<string, string>();
  const exclusive = new Map<string, number>();
  let current = '';
  let afterCalls = false;
  let total = Number.NaN;
  for (const line of dump.split('\n')) {
    const costMatch = /^[+\-*\d]/.test(line);
    if (costMatch) {
      if (afterCalls) afterCalls = false;
      else exclusive.set(current, (exclusive.get(current) ?? 0) + Number(line.split(' ')[1] ?? 0));
    } else if (line.startsWith('fn=')) current = nameOf(line.slice(3), names);
    else if (line.startsWith('cfn=')) nameOf(line.slice(4), names);
    else if (line.startsWith('calls=')) afterCalls = true;
    else if (line.startsWith('totals:') || (line.startsWith('summary:') && Number.isNaN(total)))
      total = Number(line.split(':')[1]);
  }
  const split: InstructionSplit = { total: 0, compiler: 0, gc: 0, jitCode: 0, other: 0 };
  for (const [name, cost] of exclusive) split[categoryOf(name)] += cost;
  const summed = split.compiler + split.gc + split.jitCode + split.other;
  split.total = Number.isNaN(total) ? summed : total;
  return split;
}

/** `(12) name` defines id 12, `(12)` refers to it; a bare name is itself. Returns the name. */
function nameOf(field: string, names: Map<string, string>): string {
  const match = /^\((\d+)\)(?: (.*))?$/.exec(field);
  if (!match?.[1]) return field;
  if (match[2] !== undefined) names.set(match[1], match[2]);
  return names.get(match[1]) ?? field;
}
