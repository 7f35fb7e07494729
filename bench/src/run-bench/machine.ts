import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { WORKSPACE_ROOT } from './paths';

export interface MachineInfo {
  cpuModel: string;
  cpus: number;
  memoryMb: number;
  node: string;
  /** 1-minute load average when the bench started and ended: how busy the shared machine was. */
  loadAverageAtStart: number;
  loadAverageAtEnd?: number;
  /** Commit measured, and whether apps/ or libs/ had uncommitted changes when it ran. */
  commit: string;
  uncommittedAppOrLibChanges: boolean;
}

export function describeMachine(): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: cpus().length,
    memoryMb: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    loadAverageAtStart: currentLoadAverage(),
    commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
    uncommittedAppOrLibChanges: git(['status', '--porcelain', '--', 'apps', 'libs']) !== '',
  };
}

export function currentLoadAverage(): number {
  return loadavg()[0] ?? Number.NaN;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, {
      cwd: WORKSPACE_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '';
  }
}
