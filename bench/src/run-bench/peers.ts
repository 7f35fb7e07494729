import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './paths';
import { progress } from './progress';

/** The peer agents' own package (pinned versions, its own lockfile), apart from the workspace's dependencies. */
export const PEERS_DIR = join(WORKSPACE_ROOT, 'bench/peers');

/**
 * Installs bench/peers with `npm ci` unless every pinned version is already there. Resolves to whether
 * the peers can run: offline, the run goes on without them, saying so and how to install them later.
 */
export function ensurePeersInstalled(): boolean {
  if (peersInstalled()) return true;
  progress('installing the peer agents: npm ci --prefix bench/peers (once; about 330 MB)');
  try {
    execFileSync('npm', ['ci', '--prefix', PEERS_DIR, '--no-audit', '--no-fund', '--loglevel=error'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 10 * 60_000,
    });
  } catch {
    progress(
      'could not install bench/peers (offline, or the registry is unreachable): the peer variants are skipped. ' +
        'Install them when online with `npm ci --prefix bench/peers`, or run with --skip-peers.',
    );
    return false;
  }
  return peersInstalled();
}

function peersInstalled(): boolean {
  const manifest = JSON.parse(readFileSync(join(PEERS_DIR, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  return Object.entries(manifest.dependencies).every(([name, version]) => {
    const installed = join(PEERS_DIR, 'node_modules', name, 'package.json');
    return (
      existsSync(installed) && (JSON.parse(readFileSync(installed, 'utf8')) as { version: string }).version === version
    );
  });
}
