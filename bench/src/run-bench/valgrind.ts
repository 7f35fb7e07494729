import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';

/**
 * valgrind's gdbserver names the pipes `callgrind_control` talks through after `USER` and `HOST` as the
 * process sees them, and vgdb looks for the names its own environment gives: both must agree. The apps run
 * with `HOST=127.0.0.1` (the address they listen on), so `callgrind_control` is given the same.
 */
export interface CallgrindIdentity {
  USER: string;
  HOST: string;
}

export const APP_IDENTITY: CallgrindIdentity = { USER: userInfo().username, HOST: '127.0.0.1' };

/** valgrind's version (`valgrind-3.19.0`), or `undefined` when valgrind or callgrind_control is missing. */
export function valgrindVersion(): string | undefined {
  try {
    execFileSync('callgrind_control', ['--version'], { stdio: 'ignore' });
    return execFileSync('valgrind', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/**
 * The command line that runs a program under callgrind, counting nothing until `--instr=on`, each dump
 * written to `<outBase>.<pid>.<n>`.
 */
export function callgrindWrapper(outBase: string): string[] {
  return ['valgrind', '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${outBase}.%p`];
}

/**
 * `callgrind_control <option> <pid>` (`--instr=on`, `--dump`): always with the pid, since without it the
 * command acts on every callgrind run on the machine. Throws unless callgrind answered OK.
 */
export function callgrindControl(pid: number, option: string, identity: CallgrindIdentity = APP_IDENTITY): void {
  const output = execFileSync('callgrind_control', [option, String(pid)], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', ...identity },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  if (!/\bOK\b/.test(output)) throw new Error(`callgrind_control ${option} ${pid} did not answer OK:\n${output}`);
}
