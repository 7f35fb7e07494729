import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';

const WORKSPACE_ROOT = join(__dirname, '../../../..');
/** What a scratch copy of the workspace leaves out: installed, built or cached things, and history. */
const NOT_COPIED = new Set(['node_modules', 'dist', '.nx', '.git', 'tmp', 'coverage', 'results']);

/** A copy of the workspace (sharing node_modules) in which generators can run without touching the real one. */
function scratchWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'obs-workspace-'));
  cpSync(WORKSPACE_ROOT, root, {
    recursive: true,
    filter: (source) => !NOT_COPIED.has(source.split('/').pop() ?? ''),
  });
  symlinkSync(join(WORKSPACE_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

const NX_ENV = { CI: 'true', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: 'true' };

function nx(root: string, ...args: string[]): string {
  return execFileSync(join(root, 'node_modules/.bin/nx'), args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...NX_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The files under `path` that the workspace's prettier (its .prettierrc.json) would change. */
function unformattedFiles(root: string, path: string): string[] {
  const { status, stdout, stderr } = spawnSync(join(root, 'node_modules/.bin/prettier'), ['--list-different', path], {
    cwd: root,
    encoding: 'utf8',
  });
  // 1 is "some files differ"; above it, prettier itself failed.
  if (status !== 0 && status !== 1) throw new Error(`prettier failed: ${stderr}`);
  return stdout.split('\n').filter(Boolean);
}

/** A TCP port free on the loopback right now. */
function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    }),
  );
}

/**
 * Runs the built app with PORT=0 (a free port: PORT wins over the generator's --port) and `env`, runs `first`
 * once it listens, calls `path`s, and stops it with SIGTERM.
 */
async function runBuiltApp(
  main: string,
  paths: string[],
  { env = {}, first }: { env?: Record<string, string>; first?: () => Promise<void> } = {},
): Promise<{ url: string; bodies: string[]; poweredBy: Array<string | null>; exitCode: number | null }> {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    let url: string | undefined;
    for (let attempt = 0; attempt < 200 && !url; attempt++) {
      url = /Listening on (http:\/\/[^\s"]+)/.exec(output)?.[1];
      if (!url) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!url) throw new Error(`the generated app did not start:\n${output}`);
    await first?.();
    const bodies: string[] = [];
    // `X-Powered-By: Express` on express; Fastify sends none.
    const poweredBy: Array<string | null> = [];
    for (const path of paths) {
      const response = await fetch(`${url}${path}`);
      bodies.push(await response.text());
      poweredBy.push(response.headers.get('x-powered-by'));
    }
    child.kill('SIGTERM');
    return { url, bodies, poweredBy, exitCode: await exited };
  } finally {
    child.kill('SIGKILL');
  }
}

describe('@obs/workspace generators on a fresh Nest app', () => {
  let root: string;
  const read = (path: string): string => readFileSync(join(root, path), 'utf8');

  beforeAll(() => {
    root = scratchWorkspace();
    nx(root, 'g', '@obs/workspace:nest-app', 'demo-api', '--port', '3100');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  // Node 22.15 to 22.17 cannot strip types: had Nx loaded the generators as workspace TypeScript, it would have
  // looked for a transpiler there and warned that none is installed.
  it('nx g prints only what it generates, on a Node without type stripping too', () => {
    const { status, stdout, stderr } = spawnSync(
      process.execPath,
      [
        '--no-experimental-strip-types',
        join(root, 'node_modules/.bin/nx'),
        'g',
        '@obs/workspace:nest-app',
        'other-api',
        '--dry-run',
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, ...NX_ENV } },
    );
    expect(status).toBe(0);
    // Nx's warnings start with its NX badge; the dry run's own note is the one line left.
    expect(stderr).not.toContain('NX');
    expect(stdout).toContain('Generating @obs/workspace:nest-app');
  });

  it('nest-app makes an app whose tests and build pass as they are', () => {
    nx(root, 'run-many', '-t', 'typecheck', 'test', 'build', '-p', 'demo-api');
    expect(read('apps/demo-api/src/main.ts')).not.toContain('@obs/telemetry');
    expect(unformattedFiles(root, 'apps/demo-api')).toEqual([]);
  });

  it('add-telemetry adds the start-up entry, the module, /metrics and a sample @Span, and tests and build still pass', async () => {
    nx(root, 'g', '@obs/workspace:add-telemetry', 'demo-api', '--serviceName', 'demo', '--port', '3100');
    expect(read('apps/demo-api/src/instrumentation.ts')).toContain("startTelemetry({ serviceName: 'demo' });");
    expect(read('apps/demo-api/src/main.ts').split('\n')[0]).toBe("import './instrumentation';");
    expect(read('apps/demo-api/src/app/app.module.ts')).toContain(
      'imports: [TelemetryModule.forRoot(), TelemetryLoggerModule.forRoot()],',
    );
    expect(read('apps/demo-api/src/app/app.service.ts')).toMatch(/@Span\(\)\s+getData\(/);
    expect(unformattedFiles(root, 'apps/demo-api')).toEqual([]);

    nx(root, 'run-many', '-t', 'typecheck', 'test', 'build', '-p', 'demo-api');

    const { url, bodies, poweredBy, exitCode } = await runBuiltApp(join(root, 'dist/apps/demo-api/main.js'), [
      '/',
      '/metrics',
    ]);
    expect(new URL(url).port).not.toBe('3100');
    expect(poweredBy[0]).toBe('Express');
    expect(JSON.parse(bodies[0])).toEqual({ message: 'demo-api root/' });
    expect(bodies[1]).toMatch(/^http_server_request_duration_seconds_count\{[^}]*http_route="\/"[^}]*\} 1$/m);
    expect(bodies[1]).toContain('service_name="demo"');
    expect(exitCode).toBe(0);
  });

  it('add-telemetry a second time changes nothing', () => {
    const before = ['src/app/app.module.ts', 'src/app/app.service.ts', 'src/main.ts'].map((file) =>
      read(`apps/demo-api/${file}`),
    );
    nx(root, 'g', '@obs/workspace:add-telemetry', 'demo-api', '--serviceName', 'demo', '--port', '3100');
    const after = ['src/app/app.module.ts', 'src/app/app.service.ts', 'src/main.ts'].map((file) =>
      read(`apps/demo-api/${file}`),
    );
    expect(after).toEqual(before);
  });
});

describe('@obs/workspace generators with --platform fastify', () => {
  let root: string;
  const read = (path: string): string => readFileSync(join(root, path), 'utf8');

  beforeAll(() => (root = scratchWorkspace()));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('nest-app makes an app on Fastify; add-telemetry keeps it there, traced, with /metrics through Fastify', async () => {
    nx(root, 'g', '@obs/workspace:nest-app', 'fast-api', '--platform', 'fastify');
    expect(read('apps/fast-api/src/main.ts')).toContain('new FastifyAdapter()');
    nx(root, 'g', '@obs/workspace:add-telemetry', 'fast-api');
    expect(read('apps/fast-api/src/main.ts')).toContain("platform: 'fastify'");
    expect(unformattedFiles(root, 'apps/fast-api')).toEqual([]);

    nx(root, 'run-many', '-t', 'typecheck', 'test', 'build', '-p', 'fast-api');

    const { bodies, poweredBy, exitCode } = await runBuiltApp(join(root, 'dist/apps/fast-api/main.js'), [
      '/',
      '/metrics',
    ]);
    expect(JSON.parse(bodies[0])).toEqual({ message: 'fast-api root/' });
    expect(poweredBy[0]).toBeNull();
    expect(bodies[1]).toMatch(/^http_server_request_duration_seconds_count\{[^}]*http_route="\/"[^}]*\} 1$/m);
    expect(exitCode).toBe(0);
  });
});

describe('@obs/workspace generators with --transport tcp', () => {
  let root: string;
  const read = (path: string): string => readFileSync(join(root, path), 'utf8');

  beforeAll(() => (root = scratchWorkspace()));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('nest-app makes a hybrid app; add-telemetry keeps its transport, and its messages are measured', async () => {
    nx(root, 'g', '@obs/workspace:nest-app', 'ping-worker', '--transport', 'tcp');
    nx(root, 'g', '@obs/workspace:add-telemetry', 'ping-worker');
    expect(read('apps/ping-worker/src/main.ts')).toContain('listenToBroker(app');
    expect(unformattedFiles(root, 'apps/ping-worker')).toEqual([]);

    nx(root, 'run-many', '-t', 'typecheck', 'test', 'build', '-p', 'ping-worker');

    // BROKER_URL wins over the generator's default, as PORT does: a free port on the loopback.
    const port = await freeLoopbackPort();
    const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
    const replies: unknown[] = [];
    const { bodies, exitCode } = await runBuiltApp(join(root, 'dist/apps/ping-worker/main.js'), ['/metrics'], {
      env: { BROKER_URL: `tcp://127.0.0.1:${port}` },
      first: async () => {
        replies.push(await firstValueFrom(client.send('ping-worker.ping', {})));
        await client.close();
      },
    });
    expect(replies).toEqual([{ message: 'ping-worker root/' }]);
    expect(bodies[0]).toMatch(
      /^messaging_process_duration_seconds_count\{[^}]*messaging_destination_name="ping-worker\.ping"[^}]*\} 1$/m,
    );
    expect(exitCode).toBe(0);
  });
});
