import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { NodeProcess } from './node-process';
import { benchBundle, HEALTH_API_MAIN } from './paths';
import type { Variant } from './variants';

/** A variant's app, running, with what has been sent to it so far. */
export interface RunningVariant {
  variant: Variant;
  /** Which of the variant's processes (0, 1, …). */
  replica: number;
  app: NodeProcess;
  /** RSS right after start-up, before any request. */
  idleRssMb: number;
  /** Responses received over the whole run, warm-up included (for spans per request). */
  responses: number;
  /** At most this many requests reached the app without their response being counted (the end of each timed load). */
  cutOff: number;
  /** Where its CPU profile is written when it exits, with `--cpu-prof`. */
  cpuProfileDir?: string;
  /** With `--gc-stats`: the log's extent during the measured rounds, and the responses counted in them. */
  gcWindow?: { start: number; end: number; responses: number };
}

/** How the apps are started: which Node, where the peers are, whether to profile them. */
export interface AppLaunch {
  node: string;
  peersDir: string;
  /** With `--cpu-prof`: each app writes its profile into a directory of its own under this one. */
  cpuProfileRoot?: string;
  /** With `--gc-stats`: each app prints V8's GC trace into its log. */
  gcTrace?: boolean;
  /** With `--instructions`: each app runs under this program (callgrind), given the app's name. */
  wrap?: (name: string) => AppWrapper;
  /** The memory check's app: the memory probe preloaded, asked over an IPC channel. */
  memoryProbe?: boolean;
  /** V8 writes a perf map (`--perf-basic-prof`), which names the JIT code callgrind sees by address. */
  perfMap?: boolean;
}

/** A program the app runs under, the variables it needs beside the variant's, and how long it may take to listen. */
export interface AppWrapper {
  command: string[];
  env: Record<string, string>;
  readyTimeoutMs: number;
}

export async function startVariant(
  variant: Variant,
  sinkUrl: string,
  logDir: string,
  replica: number,
  launch: AppLaunch,
): Promise<RunningVariant> {
  const script =
    variant.script ??
    (variant.program === 'health-api'
      ? HEALTH_API_MAIN
      : benchBundle(variant.program === 'lib-app' ? 'lib-app' : 'bare-app'));
  const name = `${variant.id}#${replica}`;
  const cpuProfileDir = launch.cpuProfileRoot ? join(launch.cpuProfileRoot, `${variant.id}-${replica}`) : undefined;
  // A profile of an earlier run in the same directory would be summarised instead of this one's.
  if (cpuProfileDir) rmSync(cpuProfileDir, { recursive: true, force: true });
  const nodeArgs = [
    ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []),
    ...(launch.gcTrace ? ['--trace-gc-nvp'] : []),
    ...(launch.memoryProbe ? ['--require', benchBundle('memory-probe')] : []),
    ...(launch.perfMap ? ['--perf-basic-prof'] : []),
    ...(variant.nodeArgs?.(launch.peersDir) ?? []),
  ];
  const wrapper = launch.wrap?.(name);
  const app = await NodeProcess.start(name, script, { ...variant.env(sinkUrl), ...wrapper?.env }, logDir, {
    node: launch.node,
    nodeArgs,
    wrapper: wrapper?.command,
    readyTimeoutMs: wrapper?.readyTimeoutMs,
    ipc: launch.memoryProbe,
  });
  return { variant, replica, app, idleRssMb: app.rssMb(), responses: 0, cutOff: 0, cpuProfileDir };
}
