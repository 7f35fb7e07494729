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

/** A dump's split, from its exclusive instructions per function (`exclusiveInstructions`). */
export function splitOf({
  exclusive,
  total,
}: {
  exclusive: ReadonlyMap<string, number>;
  total: number;
}): InstructionSplit {
  const split: InstructionSplit = { total: 0, compiler: 0, gc: 0, jitCode: 0, other: 0 };
  for (const [name, cost] of exclusive) split[categoryOf(name)] += cost;
  const summed = split.compiler + split.gc + split.jitCode + split.other;
  split.total = Number.isNaN(total) ? summed : total;
  return split;
}

/**
 * Each function's exclusive instructions in a dump, and the dump's total. A cost line right after `calls=` is
 * the callee's inclusive cost, already counted under the callee, so it is skipped. `totals:` (or `summary:`)
 * is the total.
 */
export function exclusiveInstructions(dump: string): { exclusive: Map<string, number>; total: number } {
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
  return { exclusive, total };
}

/** A function and its exclusive instructions per request. */
export interface FunctionCost {
  name: string;
  perRequest: number;
}

/**
 * The functions that ran the most instructions, JIT-compiled code named through V8's perf map
 * (`--perf-basic-prof`: `<start> <size> <name>` in hex, one line per code object): callgrind knows such code
 * by address only. Code of one JavaScript function in several blocks or tiers is summed under its name.
 */
export function topFunctions(
  exclusive: ReadonlyMap<string, number>,
  perfMap: string,
  requests: number,
  count: number,
): FunctionCost[] {
  const codeObjects = parsePerfMap(perfMap);
  const byName = new Map<string, number>();
  for (const [name, cost] of exclusive) {
    const resolved = JIT_CODE.test(name) ? codeObjectAt(codeObjects, Number.parseInt(name.slice(2), 16)) : name;
    byName.set(resolved, (byName.get(resolved) ?? 0) + cost);
  }
  return [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, cost]) => ({ name, perRequest: cost / requests }));
}

interface CodeObject {
  start: number;
  end: number;
  name: string;
}

function parsePerfMap(perfMap: string): CodeObject[] {
  const objects: CodeObject[] = [];
  for (const line of perfMap.split('\n')) {
    const match = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (!match?.[1] || !match[2] || match[3] === undefined) continue;
    const start = Number.parseInt(match[1], 16);
    objects.push({ start, end: start + Number.parseInt(match[2], 16), name: shortName(match[3]) });
  }
  return objects;
}

/** `JS:*'writeString /work/main/node_modules/pkg/file.cjs:208:13` → `writeString pkg/file.cjs:208`. */
function shortName(name: string): string {
  return name
    .replace(/^JS:[~^+*]?'?/, '')
    .replace(/\S*\/node_modules\//, '')
    .replace(/file:\/\/\S*\/dist\//, 'dist/')
    .replace(/(:\d+):\d+$/, '$1');
}

/**
 * The name of the code object holding `address`: the last one the map lists there, since V8 reuses the
 * space of code it has freed. A linear search: a dump has a few thousand JIT addresses, counted once.
 */
function codeObjectAt(objects: readonly CodeObject[], address: number): string {
  for (let index = objects.length - 1; index >= 0; index--) {
    const candidate = objects[index];
    if (candidate && candidate.start <= address && address < candidate.end) return candidate.name;
  }
  return '(JIT code outside the perf map)';
}

/** `(12) name` defines id 12, `(12)` refers to it; a bare name is itself. Returns the name. */
function nameOf(field: string, names: Map<string, string>): string {
  const match = /^\((\d+)\)(?: (.*))?$/.exec(field);
  if (!match?.[1]) return field;
  if (match[2] !== undefined) names.set(match[1], match[2]);
  return names.get(match[1]) ?? field;
}
