import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { completeLines, isConsoleDocument } from './console-documents';
import { waitFor } from './wait-for';

const WORKSPACE_ROOT = join(__dirname, '../../../..');

/**
 * The HTTP platforms health-api runs on (`HTTP_PLATFORM`, one build): the guarantee suites that depend on
 * the platform run against each, `describe.each(HTTP_PLATFORMS)` with `HTTP_PLATFORM: platform` in the env.
 */
export const HTTP_PLATFORMS = ['express', 'fastify'] as const;
export type HttpPlatform = (typeof HTTP_PLATFORMS)[number];

/** The apps of the workspace that the e2e suites start, built with `nx build <app>`. */
export type AppName = 'health-api' | 'gateway-api' | 'worker';

/** Where `nx build <app>` puts an app's bundle. */
export function builtMain(app: AppName): string {
  return join(WORKSPACE_ROOT, `dist/apps/${app}/main.js`);
}

/**
 * A built app (health-api unless named) as its own Node process on a free loopback port. Only the
 * variables given (plus PATH) reach it, so the developer's own OTEL_* settings cannot leak in.
 */
export class AppProcess {
  private output = '';
  private stdoutOutput = '';
  private readonly exit: Promise<number | null>;
  readonly url: Promise<string>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.output += chunk;
      this.stdoutOutput += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.url = waitFor(
      'the app to listen',
      () => /Listening on (http:\/\/[^\s"]+)/.exec(this.output)?.[1],
      20_000,
      () => child.exitCode === null && child.signalCode === null,
    );
  }

  /** Starts the app and resolves once it listens. */
  static async start(env: Record<string, string> = {}, name: AppName = 'health-api'): Promise<AppProcess> {
    const app = AppProcess.spawn(env, name);
    await Promise.race([
      app.url,
      app.exit.then((code) => Promise.reject(new Error(`app exited ${code}:\n${app.output}`))),
    ]);
    return app;
  }

  /** Starts the app expecting it to stop by itself (a start-up failure); resolves to its exit code and output. */
  static async runToExit(
    env: Record<string, string>,
    name: AppName = 'health-api',
  ): Promise<{ code: number | null; logs: string; messages: string[] }> {
    const app = AppProcess.spawn(env, name);
    app.url.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      app.exit,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`app still running:\n${app.output}`)), 20_000);
      }),
    ]).finally(() => {
      clearTimeout(timer);
      return app.stop('SIGKILL');
    });
    return { code, logs: app.output, messages: parseLogRecords(app.output).map((record) => String(record['message'])) };
  }

  private static spawn(env: Record<string, string>, name: AppName): AppProcess {
    const main = builtMain(name);
    if (!existsSync(main)) throw new Error(`${main} is missing: run nx build ${name}`);
    const child = spawn(process.execPath, [main], {
      cwd: WORKSPACE_ROOT,
      env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', HOST: '127.0.0.1', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new AppProcess(child);
  }

  /** Everything the app printed so far, stdout and stderr. */
  get logs(): string {
    return this.output;
  }

  /** What the app wrote to stdout alone (console spans and metrics go there, warnings to stderr). */
  get stdout(): string {
    return this.stdoutOutput;
  }

  /** The JSON log lines printed so far, parsed (other output, such as console spans, left out). */
  get logRecords(): Array<Record<string, unknown>> {
    return parseLogRecords(this.output);
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${await this.url}${path}`, { headers });
  }

  /** The app's process id, to read its memory from /proc or to signal it without waiting for its exit. */
  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the app process did not start');
    return this.child.pid;
  }

  /** `host:port`, as a Prometheus target. */
  async target(): Promise<string> {
    return new URL(await this.url).host;
  }

  /** Resolves to the exit code once the app has ended, without signalling it (`null` if a signal ended it). */
  exited(): Promise<number | null> {
    return this.exit;
  }

  /** Sends `signal` and resolves to the exit code (`null` if a signal ended it). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exit;
  }
}

function parseLogRecords(output: string): Array<Record<string, unknown>> {
  // Complete lines only: a long console document may still be arriving.
  return completeLines(output)
    .filter((line) => line.startsWith('{"') && !isConsoleDocument(line))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
