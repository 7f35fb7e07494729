import type { ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();
let installed = false;

/**
 * Remembers `child` so that it is killed when the bench exits, whatever the reason: normal end,
 * an error, Ctrl-C, SIGTERM or the deadline.
 */
export function killOnExit(child: ChildProcess): void {
  installKillAll();
  running.add(child);
  child.once('exit', () => running.delete(child));
}

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

function installKillAll(): void {
  if (installed) return;
  installed = true;
  process.once('exit', killAll);
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
}
