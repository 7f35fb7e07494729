import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { benchBundle, WORKSPACE_ROOT } from './paths';

const run = promisify(execFile);
const TIMEOUT_MS = 5 * 60_000;

/**
 * Runs a micro-benchmark bundle in a fresh Node process (its own JIT and globals, nothing else
 * running in it), under `node` with `env`, and parses the JSON line it prints last. Killed if it overruns.
 */
export async function runMicroBenchmark<Result>(
  name: 'span-cost' | 'metrics-render' | 'message-cost',
  settings: object,
  node: string = process.execPath,
  env: Record<string, string> = {},
): Promise<Result> {
  const { stdout } = await run(node, [benchBundle(name), JSON.stringify(settings)], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', OTEL_LOG_LEVEL: 'error', ...env },
    timeout: TIMEOUT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 16 * 1024 * 1024,
  });
  const lastLine = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(lastLine) as Result;
}
