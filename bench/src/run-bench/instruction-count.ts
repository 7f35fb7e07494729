import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  exclusiveInstructions,
  type FunctionCost,
  type InstructionSplit,
  splitOf,
  topFunctions,
} from './callgrind-dump';
import { runLoad } from './load';
import { type AppLaunch, startVariant } from './running-variant';
import { APP_IDENTITY, callgrindControl, callgrindWrapper } from './valgrind';
import type { Variant } from './variants';

/** The counts of an `--instructions` run: requests, not seconds, so that every process does the same work. */
export interface InstructionSettings {
  /**
   * Requests before counting starts, uncounted: V8 keeps compiling (lazy functions, Maglev, TurboFan, and
   * again after deoptimisations) long after an app first answers. Chosen by counting health-api in windows
   * from its first request (bench/README.md, "Instructions per request"), and bounded by how long a run may take.
   */
  warmUpRequests: number;
  /** Enough to hold a full cycle of the old generation's collections, one every few thousand requests. */
  countedRequests: number;
  /** Few: under valgrind every thread runs on one core, and more connections only queue. */
  connections: number;
  /** Processes per variant, each started, warmed up and counted in turn, the variants interleaved. */
  processesPerVariant: number;
  /**
   * `--functions`: the costliest functions of each process as well, JIT code named through V8's perf map. Off
   * by default: with `--perf-basic-prof` V8 reports every object the GC moves, which adds to the totals.
   */
  functions: boolean;
}

/** One process of a variant, counted: its instructions per request, split. */
export interface InstructionSample {
  replica: number;
  /** Requests answered in the counted window. */
  requests: number;
  /** Instructions per request, every thread of the process (V8's compiler and GC threads included). */
  perRequest: InstructionSplit;
  /** With `--functions`: those that ran the most of them, JIT-compiled JavaScript named through V8's perf map. */
  functions: FunctionCost[];
}

/** Functions kept per process. */
const TOP_FUNCTIONS = 40;

const HEALTHZ = '/healthz';
/** Start-up under valgrind is many times slower than native, and slower still with a peer agent preloaded. */
const READY_TIMEOUT_MS = 5 * 60_000;
const DUMP_TIMEOUT_MS = 2 * 60_000;
/** A cold app under valgrind on a busy machine can take seconds over its first requests, while V8 compiles. */
const REQUEST_TIMEOUT_SECONDS = 120;

/**
 * Starts one process of `variant` under callgrind with counting off, warms it up, counts the instructions
 * of `countedRequests` requests (`callgrind_control --instr=on`, then `--dump`) and stops it.
 */
export async function countInstructions(
  variant: Variant,
  replica: number,
  sinkUrl: string,
  logDir: string,
  launch: AppLaunch,
  settings: InstructionSettings,
): Promise<InstructionSample> {
  const outBase = join(logDir, `callgrind.${variant.id}-${replica}`);
  const running = await startVariant(variant, sinkUrl, logDir, replica, {
    ...launch,
    wrap: () => ({ command: callgrindWrapper(outBase), env: { ...APP_IDENTITY }, readyTimeoutMs: READY_TIMEOUT_MS }),
    perfMap: settings.functions,
  });
  const { app } = running;
  const dumpFile = `${outBase}.${app.pid}.1`;
  rmSync(dumpFile, { force: true });
  try {
    await load(app.url(), settings.warmUpRequests, settings.connections, variant);
    callgrindControl(app.pid, '--instr=on');
    const requests = await load(app.url(), settings.countedRequests, settings.connections, variant);
    callgrindControl(app.pid, '--dump');
    const counted = exclusiveInstructions(await readDump(dumpFile));
    const functions = settings.functions
      ? topFunctions(counted.exclusive, readPerfMap(app.pid), requests, TOP_FUNCTIONS)
      : [];
    return { replica, requests, perRequest: perRequest(splitOf(counted), requests), functions };
  } finally {
    await app.stop();
    try {
      rmSync(perfMapFile(app.pid), { force: true });
    } catch {
      // A map left in /tmp is no reason to lose the count or the error above.
    }
  }
}

/** A fixed number of `GET /healthz`; returns the responses, all of which must be 2xx. */
async function load(baseUrl: string, requests: number, connections: number, variant: Variant): Promise<number> {
  const result = await runLoad({
    baseUrl,
    path: HEALTHZ,
    connections,
    requests,
    timeoutSeconds: REQUEST_TIMEOUT_SECONDS,
  });
  if (result.non2xx > 0 || result.errors > 0 || result.responses === 0)
    throw new Error(
      `${variant.id} under callgrind: ${result.responses} responses, ${result.non2xx} not 2xx, ${result.errors} errors`,
    );
  return result.responses;
}

/** callgrind writes the dump asynchronously after `--dump` answers: wait until its `totals:` line is there. */
async function readDump(file: string): Promise<string> {
  const deadline = Date.now() + DUMP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      if (/^totals:/m.test(text)) return text;
    }
    await sleep(500);
  }
  throw new Error(`no complete callgrind dump at ${file} within ${DUMP_TIMEOUT_MS / 1000} s`);
}

/** Where V8 writes its perf map under `--perf-basic-prof`. */
function perfMapFile(pid: number): string {
  return `/tmp/perf-${pid}.map`;
}

function readPerfMap(pid: number): string {
  return existsSync(perfMapFile(pid)) ? readFileSync(perfMapFile(pid), 'utf8') : '';
}

function perRequest(split: InstructionSplit, requests: number): InstructionSplit {
  return {
    total: split.total / requests,
    compiler: split.compiler / requests,
    gc: split.gc / requests,
    jitCode: split.jitCode / requests,
    other: split.other / requests,
  };
}
