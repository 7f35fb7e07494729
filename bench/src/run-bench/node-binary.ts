import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './paths';
import { progress } from './progress';

/** Where `--node <major>` keeps the binaries it fetched (tmp/ is ignored by git), one directory per major line. */
const NODE_CACHE = join(WORKSPACE_ROOT, 'tmp/bench-node');

/** A Node binary and the version it reports. */
export interface NodeBinary {
  path: string;
  version: string;
}

/**
 * The Node that runs the apps: the bench's own without `spec`, a binary's path, or a major line (`24`)
 * fetched once from the registry as .ci/run does, the official binary of the `node-<platform>-<arch>`
 * package, taken directly (no install script runs).
 */
export function resolveNodeBinary(spec: string | undefined): NodeBinary {
  if (spec === undefined) return { path: process.execPath, version: process.version };
  if (!/^\d+$/.test(spec)) {
    if (!existsSync(spec)) throw new Error(`--node ${spec}: no such file`);
    return { path: spec, version: versionOf(spec) };
  }
  const packageName = `node-${process.platform}-${process.arch}`;
  const dir = join(NODE_CACHE, spec);
  const binary = join(dir, 'node_modules', packageName, 'bin', 'node');
  if (!existsSync(binary)) {
    progress(`fetching Node ${spec} (${packageName}@${spec}) into ${dir}`);
    try {
      execFileSync(
        'npm',
        [
          'install',
          '--prefix',
          dir,
          '--no-save',
          '--no-package-lock',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          `${packageName}@${spec}`,
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
    } catch {
      throw new Error(
        `--node ${spec}: could not fetch ${packageName}@${spec} from the npm registry (offline?); ` +
          `give the path of a Node ${spec} binary instead: --node /path/to/node`,
      );
    }
  }
  const version = versionOf(binary);
  if (!version.startsWith(`v${spec}.`)) throw new Error(`${packageName}@${spec} gave Node ${version}`);
  return { path: binary, version };
}

function versionOf(binary: string): string {
  return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
}
