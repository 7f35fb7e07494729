import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningVariant } from './running-variant';

/** The parts of a `.cpuprofile` (V8's `Profiler.Profile`) that the summary reads. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }>;
  samples: number[];
  timeDeltas: number[];
}

const TOP_FUNCTIONS = 30;

/**
 * Summarises the CPU profile each app wrote at exit (`--cpu-prof`) into `<dir>/<variant>-<replica>.txt`:
 * self time per package (node_modules package, Node internals, the app's bundle, GC) and per function,
 * in µs per request over every request the process served (warm-up included). The raw profiles, several
 * MB each, stay where the apps wrote them (tmp/). Returns the files written.
 */
export function summarizeCpuProfiles(running: RunningVariant[], dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const item of running) {
    if (!item.cpuProfileDir || !existsSync(item.cpuProfileDir)) continue;
    const file = readdirSync(item.cpuProfileDir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) continue;
    const profile = JSON.parse(readFileSync(join(item.cpuProfileDir, file), 'utf8')) as CpuProfile;
    const target = join(dir, `${item.variant.id}-${item.replica}.txt`);
    writeFileSync(target, renderSummary(item, profile, join(item.cpuProfileDir, file)));
    written.push(target);
  }
  return written;
}

function renderSummary(item: RunningVariant, profile: CpuProfile, source: string): string {
  const selfMicros = selfTimeByNode(profile);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const micros = selfMicros.get(node.id) ?? 0;
    if (micros === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    total += micros;
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    add(byFunction, `${functionName || '(anonymous)'} ${where}`.trim(), micros);
    add(byPackage, packageOf(functionName, url), micros);
  }
  const perRequest = (micros: number): string => (micros / Math.max(1, item.responses)).toFixed(2).padStart(8);
  const share = (micros: number): string => `${((100 * micros) / total).toFixed(1).padStart(5)} %`;
  const rows = (map: Map<string, number>, limit: number): string[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, micros]) => `${perRequest(micros)} µs/req ${share(micros)}  ${name}`);
  return [
    `${item.variant.id} (process ${item.replica}): ${item.variant.description}`,
    `CPU profile ${source}: ${(total / 1000).toFixed(0)} ms on CPU (idle excluded) over ${item.responses} requests, ` +
      `start-up and warm-up included; self time.`,
    '',
    'By package:',
    ...rows(byPackage, 25),
    '',
    `Top ${TOP_FUNCTIONS} functions:`,
    ...rows(byFunction, TOP_FUNCTIONS),
    '',
  ].join('\n');
}

/** Self time per profile node: each sample's time delta goes to the node it hit. */
function selfTimeByNode(profile: CpuProfile): Map<number, number> {
  const micros = new Map<number, number>();
  profile.samples.forEach((nodeId, index) => add(micros, nodeId, profile.timeDeltas[index] ?? 0));
  return micros;
}

function packageOf(functionName: string, url: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  if (url.startsWith('node:')) return 'node: internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const [scope = '', name = ''] = url.slice(modules + '/node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  return `bundle ${shortUrl(url)}`;
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|dist)\//, '$1/');
}

function add<K>(map: Map<K, number>, key: K, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}
