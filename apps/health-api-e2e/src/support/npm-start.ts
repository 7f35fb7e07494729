import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './wait-for';

const WORKSPACE_ROOT = join(__dirname, '../../../..');

/**
 * `npm start` as a developer runs it, in its own process group as a terminal's foreground job: `ctrlC()`
 * signals the whole group (npm, the Node wrapper, the shell, the app), as the terminal does on Ctrl-C.
 * Only PATH, HOME and the variables given reach it, so the developer's own OTEL_* settings cannot leak in.
 */
export class NpmStart {
  private output = '';
  private readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(env: Record<string, string> = {}) {
    this.child = spawn('npm', ['start'], {
      cwd: WORKSPACE_ROOT,
      detached: true,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        NO_COLOR: '1',
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_TUI: 'false',
        HOST: '127.0.0.1',
        PORT: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    this.exit = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  private readonly child: ChildProcess;

  /** Resolves to the app's URL once it listens (the build comes first: a generous bound). */
  url(): Promise<string> {
    return waitFor(
      'npm start to listen',
      () => /Listening on (http:\/\/[^\s"]+)/.exec(this.output)?.[1],
      60_000,
      () => this.child.exitCode === null && this.child.signalCode === null,
    );
  }

  /** A Ctrl-C: SIGINT to every process of the group. */
  ctrlC(): void {
    if (this.child.pid !== undefined) process.kill(-this.child.pid, 'SIGINT');
  }

  get logs(): string {
    return this.output;
  }

  /** The messages of the app's JSON log lines. */
  get messages(): string[] {
    return this.output
      .split('\n')
      .filter((line) => line.startsWith('{"level":'))
      .map((line) => String((JSON.parse(line) as Record<string, unknown>)['message']));
  }

  /** Resolves once `npm start` has ended, with how it ended. */
  ended(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exit;
  }

  /** Ends whatever is left of the group (after a failed test). */
  kill(): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
