import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchUsageError } from './bench-settings';
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
 * The Node that runs the apps, one the workspace supports: the bench's own without `spec`, a binary's path, or a major line (`24`, `26`)
 * fetched once from the registry as .ci/run does, the official binary of the `node-<platform>-<arch>`
 * package, taken directly (no install script runs).
 */
export function resolveNodeBinary(spec: string | undefined): NodeBinary {
  return supported(findNodeBinary(spec), spec);
}

/**
 * The workspace's `engines.node` (`^22.15.0 || ^24.0.0 || ^26.0.0`), read as lines as tools/node does: the apps
 * are built for these Nodes only (Nest 12 loads its ES modules through require(esm)), so Node 20 runs no variant.
 */
function supported(binary: NodeBinary, spec: string | undefined): NodeBinary {
  const engines = (
    JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
  ).engines.node;
  const [major = 0, minor = 0, patch = 0] = binary.version.replace(/^v/, '').split('.').map(Number);
  const admitted = engines.split('||').some((range) => {
    const [lowMajor, lowMinor = 0, lowPatch = 0] = range.trim().replace(/^\^/, '').split('.').map(Number);
    return major === lowMajor && (minor > lowMinor || (minor === lowMinor && patch >= lowPatch));
  });
  if (!admitted) {
    const which = spec === undefined ? 'the Node running the bench' : `--node ${spec}`;
    throw new BenchUsageError(
      `${which} is ${binary.version}, outside the workspace's engines (${engines}): ` +
        'run the bench through `npm run bench`, which brings Node 24 on an older machine, or give --node 24 / --node 26',
    );
  }
  return binary;
}

function findNodeBinary(spec: string | undefined): NodeBinary {
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
