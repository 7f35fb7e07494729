import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '../../../../tools/prometheus/prometheus.cjs';
import { waitFor } from './wait-for';

/** The brokers the worker is tested over, each Debian's own package started on the loopback. */
export const BROKERS = ['nats', 'rabbitmq', 'redis', 'mqtt'] as const;
export type BrokerName = (typeof BROKERS)[number];

/** A broker running for a test: `url` is the `BROKER_URL` that reaches it. */
export interface RunningBroker {
  readonly url: string;
  /** Kills it at once, as a crash would, and removes its files. */
  stop(): Promise<void>;
}

const INSTALL_HINTS: Record<BrokerName, string> = {
  nats: "Debian's nats-server is not installed: apt-get install -y nats-server",
  rabbitmq: "Debian's rabbitmq-server is not installed: apt-get install -y rabbitmq-server",
  redis: "Debian's redis-server is not installed: apt-get install -y redis-server",
  mqtt: "Debian's mosquitto is not installed: apt-get install -y mosquitto",
};

/** Starts `name` on free loopback ports, with its state in a throw-away folder; resolves once it takes clients. */
export async function startBroker(name: BrokerName): Promise<RunningBroker> {
  return { nats: startNats, rabbitmq: startRabbitmq, redis: startRedis, mqtt: startMosquitto }[name]();
}

async function startNats(): Promise<RunningBroker> {
  const port = await freeLoopbackPort();
  const server = new BrokerProcess('nats', spawnGroup('nats-server', ['-a', '127.0.0.1', '-p', String(port)]));
  await server.ready(/Server is ready/);
  return { url: `nats://127.0.0.1:${port}`, stop: () => server.stop() };
}

/** Redis with nothing saved to disk. */
async function startRedis(): Promise<RunningBroker> {
  const port = await freeLoopbackPort();
  const dir = mkdtempSync(join(tmpdir(), 'obs-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const server = new BrokerProcess('redis', spawnGroup('redis-server', args));
  return withFolder(dir, server, /Ready to accept connections/, `redis://127.0.0.1:${port}`);
}

/** Mosquitto (MQTT 5) with anonymous clients and nothing saved; as root, it drops to its own user, so its folder is readable. */
async function startMosquitto(): Promise<RunningBroker> {
  const port = await freeLoopbackPort();
  const dir = mkdtempSync(join(tmpdir(), 'obs-mosquitto-'));
  chmodSync(dir, 0o755);
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(config, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\n`);
  chmodSync(config, 0o644);
  const server = new BrokerProcess('mqtt', spawnGroup('mosquitto', ['-c', config]));
  return withFolder(dir, server, /mosquitto version \S+ running/, `mqtt://127.0.0.1:${port}`);
}

/** Waits for `server` to say `readyLine`; its `stop()` also removes `dir`, as does a failed start. */
async function withFolder(dir: string, server: BrokerProcess, readyLine: RegExp, url: string): Promise<RunningBroker> {
  const stop = async (): Promise<void> => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await server.ready(readyLine);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

/**
 * RabbitMQ as a node of its own (name, ports, cookie, data and logs in a temporary folder), so that it neither
 * needs nor disturbs a RabbitMQ the machine runs. Erlang's port mapper is started first, on the loopback and a
 * free port, in the same process group, so that stopping the group leaves nothing behind.
 */
async function startRabbitmq(): Promise<RunningBroker> {
  const [port, distPort, epmdPort] = [await freeLoopbackPort(), await freeLoopbackPort(), await freeLoopbackPort()];
  const home = mkdtempSync(join(tmpdir(), 'obs-rabbitmq-'));
  writeFileSync(join(home, 'enabled_plugins'), '[].\n');
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    ERL_EPMD_ADDRESS: '127.0.0.1',
    ERL_EPMD_PORT: String(epmdPort),
    RABBITMQ_NODENAME: `obs-e2e-${port}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    RABBITMQ_BASE: home,
    RABBITMQ_MNESIA_BASE: join(home, 'mnesia'),
    RABBITMQ_LOG_BASE: join(home, 'log'),
    RABBITMQ_LOGS: '-',
    RABBITMQ_ENABLED_PLUGINS_FILE: join(home, 'enabled_plugins'),
    RABBITMQ_CONFIG_FILE: join(home, 'rabbitmq'),
    RABBITMQ_PID_FILE: join(home, 'rabbitmq.pid'),
  };
  const epmd = new BrokerProcess('rabbitmq', spawnGroup('epmd', ['-address', '127.0.0.1', '-port', String(epmdPort)]));
  const server = new BrokerProcess(
    'rabbitmq',
    spawnGroup('/usr/lib/rabbitmq/bin/rabbitmq-server', [], { cwd: home, env }),
  );
  const broker = await withFolder(
    home,
    server,
    /Server startup complete/,
    `amqp://guest:guest@127.0.0.1:${port}`,
  ).catch(async (error: unknown) => {
    await epmd.stop();
    throw error;
  });
  return {
    url: broker.url,
    stop: async () => {
      await broker.stop();
      await epmd.stop();
    },
  };
}

/** A process in a process group of its own, so that killing the group ends whatever it started too. */
function spawnGroup(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
}

class BrokerProcess {
  private output = '';
  private spawnError: Error | undefined;
  private readonly exited: Promise<void>;

  constructor(
    private readonly name: BrokerName,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    child.once('error', (error) => (this.spawnError = new Error(`${INSTALL_HINTS[name]} (${error.message})`)));
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
  }

  /** Resolves once the output says `readyLine`; fails with the output if the process ends first. */
  async ready(readyLine: RegExp): Promise<void> {
    await waitFor(
      `${this.name} to be ready`,
      () => (readyLine.test(this.output) ? true : undefined),
      60_000,
      () => this.spawnError === undefined && this.running,
    ).catch((error: Error) => {
      throw this.spawnError ?? new Error(`${error.message}\n${this.output}`);
    });
  }

  private get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    if (this.spawnError) return;
    if (this.child.pid !== undefined && this.running) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // the group has ended already
      }
    }
    await this.exited;
  }
}
