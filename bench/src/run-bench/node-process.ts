import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './paths';
import { killOnExit } from './process-registry';
import { readCpuMicros } from './cpu-time';
import { readRssMb } from './rss';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
/** Only the end of a log is read back: enough to explain a failure. */
const READ_BACK_CHARS = 64 * 1024;
const LISTENING = /Listening on (http:\/\/[^\s"']+)/;

/**
 * A Node program run as its own process on loopback, which logs `Listening on <url>` when ready
 * (both apps and the OTLP sink do). Only the variables given (plus PATH) reach it. Its stdout and
 * stderr go to a file in `logDir`, not through a pipe: reading a pipe would cost the bench
 * process, which also runs the load generator, CPU that depends on how much each app logs.
 */
export class NodeProcess {
  private readonly exited: Promise<number | null>;
  private listeningUrl: string | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    killOnExit(child);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /**
   * Starts `script` and resolves once it listens; rejects (and kills it) if it exits or is not ready in time.
   * `options.node` is the Node binary (default the bench's own), `options.nodeArgs` go before the script;
   * `options.wrapper` runs it all under another program (valgrind), which is then the process's own pid,
   * and `options.readyTimeoutMs` bounds its start-up (longer under valgrind); with `options.ipc` it has
   * an IPC channel, for `ask()`.
   */
  static async start(
    name: string,
    script: string,
    env: Record<string, string>,
    logDir: string,
    options: { node?: string; nodeArgs?: string[]; wrapper?: string[]; readyTimeoutMs?: number; ipc?: boolean } = {},
  ): Promise<NodeProcess> {
    if (!existsSync(script))
      throw new Error(`${script} is missing: build it first (npm run bench builds what it needs)`);
    mkdirSync(logDir, { recursive: true });
    const logFile = join(logDir, `${name}.log`);
    const log = openSync(logFile, 'w');
    const [program = options.node ?? process.execPath, ...args] = [
      ...(options.wrapper ?? []),
      options.node ?? process.execPath,
      ...(options.nodeArgs ?? []),
      script,
    ];
    const child = spawn(program, args, {
      cwd: WORKSPACE_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        NO_COLOR: '1',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        ...env,
      },
      stdio: options.ipc ? ['ignore', log, log, 'ipc'] : ['ignore', log, log],
    });
    closeSync(log); // the child has its own copy
    const started = new NodeProcess(name, child, logFile);
    try {
      await started.waitUntilListening(options.readyTimeoutMs ?? READY_TIMEOUT_MS);
    } catch (error) {
      await started.stop();
      throw error;
    }
    return started;
  }

  /** The base URL it printed, e.g. `http://127.0.0.1:40123`. */
  url(): string {
    // Kept once read: a log that grows (--trace-gc-nvp) would push the line out of the read-back window.
    this.listeningUrl ??= LISTENING.exec(this.logs)?.[1];
    if (this.listeningUrl === undefined) throw new Error(`${this.name} is not listening`);
    return this.listeningUrl;
  }

  /** The log between two byte offsets (for `--gc-stats`, the GC lines of the measured loads). */
  logBetween(start: number, end: number): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile).subarray(start, end).toString('utf8') : '';
  }

  /** Bytes written to the log so far. */
  logSize(): number {
    return existsSync(this.logFile) ? statSync(this.logFile).size : 0;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no pid`);
    return this.child.pid;
  }

  /** How it ended (`exited with 1`, `killed by SIGTERM`), or `undefined` while it runs. */
  exitState(): string | undefined {
    if (this.child.signalCode !== null) return `killed by ${this.child.signalCode}`;
    if (this.child.exitCode !== null) return `exited with ${this.child.exitCode}`;
    return undefined;
  }

  /** The end of what it printed, stdout and stderr. */
  get logs(): string {
    const text = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
    return text.slice(-READ_BACK_CHARS);
  }

  rssMb(): number {
    return readRssMb(this.pid);
  }

  /** CPU time used so far, user + system, in microseconds. */
  cpuMicros(): number {
    return readCpuMicros(this.pid);
  }

  /** Sends `message` over the IPC channel and resolves to the first answer, or rejects after `timeoutMs`. */
  ask<T>(message: string, timeoutMs = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const settle = (error: Error | undefined, reply?: unknown): void => {
        clearTimeout(timer);
        this.child.off('message', answer);
        this.child.off('exit', exited);
        if (error) reject(error);
        else resolve(reply as T);
      };
      const answer = (reply: unknown): void => settle(undefined, reply);
      const exited = (): void => settle(new Error(`${this.name} exited before answering ${message}`));
      const timer = setTimeout(
        () => settle(new Error(`${this.name} did not answer ${message} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.child.once('message', answer);
      this.child.once('exit', exited);
      // A channel already closed (the app died) reports here, not as an 'error' event that would end the bench.
      this.child.send(message, (error) => error && settle(error));
    });
  }

  /** SIGTERM (the apps flush telemetry and exit 0), then SIGKILL if it takes too long. Resolves to the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private async waitUntilListening(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      if (LISTENING.test(this.logs)) return;
      if (exitCode !== undefined)
        throw new Error(`${this.name} exited with ${exitCode} before listening:\n${this.logs}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${this.name} did not listen within ${timeoutMs} ms:\n${this.logs}`);
  }
}
