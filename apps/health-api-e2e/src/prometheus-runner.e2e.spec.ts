import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { freeLoopbackPort } from '../../../tools/prometheus/prometheus.cjs';

const RUNNER = join(__dirname, '../../../tools/prometheus/run-prometheus.cjs');
const BOUND_MS = 30_000;

/**
 * Runs `npm run prometheus`'s script with `args` until it exits or has printed the UI line (then ends it);
 * resolves to its exit status and its output lines (stdout and stderr, in order of arrival).
 */
function runRunner(args: string[]): Promise<{ status: number | null; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUNNER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (/^UI: /m.test(output)) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), BOUND_MS);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, lines: output.split('\n').filter((line) => line !== '') });
    });
  });
}

describe('npm run prometheus (tools/prometheus/run-prometheus.cjs)', () => {
  it('says in one line that a busy --listen address is in use and exits 1', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(busy.address() as AddressInfo).port}`;
    try {
      const { status, lines } = await runRunner(['--listen', address]);
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`^${address} is in use: choose another with --listen 127\\.0\\.0\\.1:\\d+$`)),
      ]);
      expect(status).toBe(1);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('scrapes health-api only unless --gateway-api is given, and says a target that is not running', async () => {
    const [listen, healthApi] = [await freeLoopbackPort(), await freeLoopbackPort()];
    const { lines } = await runRunner(['--listen', `127.0.0.1:${listen}`, '--health-api', `127.0.0.1:${healthApi}`]);
    expect(lines.filter((line) => line.startsWith('Prometheus scraping'))).toEqual([
      `Prometheus scraping health-api at http://127.0.0.1:${healthApi}/metrics every 5s`,
    ]);
    expect(lines).toContain(
      `  health-api is not running at 127.0.0.1:${healthApi} (down, up == 0, until it is): start it with npm start`,
    );
    expect(lines).toContain('Not scraping gateway-api: add --gateway-api 127.0.0.1:3001 to scrape it too');
  });
});
