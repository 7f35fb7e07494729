#!/usr/bin/env node
// Runs a command under a Node.js line this workspace supports (package.json `engines`).
//
//   node tools/node/with-supported-node.cjs '<command line>' [more args...]
//
// On a supported Node the command runs as it is. On an older one (the system Node 20 of many machines), it runs
// with Node 24 first on PATH: the official binary that the npm registry ships as `node-<platform>-<arch>`, fetched
// once into node_modules/.cache and reused. npm scripts go through here, so `npm start` and `npm test` work on such
// a machine; npm itself keeps running on the system Node. Plain JavaScript with no dependency, because it has to
// run on the Node that is too old for everything else.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { delimiter, join } = require('node:path');

/** The Node fetched where the running one is not supported. */
const FETCHED_VERSION = '24.22.3';
const WORKSPACE_ROOT = join(__dirname, '..', '..');

/**
 * Whether `engines.node` admits a version. It is written as lines, `^22.15.0 || ^24.0.0 || ^26.0.0`, and read as
 * such: no semver package is installed yet when this runs.
 */
function isSupported(version, engines = require('../../package.json').engines.node) {
  const [major, minor, patch] = version.replace(/^v/, '').split('.').map(Number);
  return engines.split('||').some((range) => {
    const [lowMajor, lowMinor, lowPatch] = range.trim().replace(/^\^/, '').split('.').map(Number);
    return major === lowMajor && (minor > lowMinor || (minor === lowMinor && patch >= lowPatch));
  });
}

/** The `bin` folder of the fetched Node, fetched now if it is not there yet; throws with the reason when it can't. */
function fetchedNodeBin() {
  const packageName = `node-${process.platform}-${process.arch}`;
  const prefix = join(WORKSPACE_ROOT, 'node_modules', '.cache', 'supported-node', FETCHED_VERSION);
  const bin = join(prefix, 'node_modules', packageName, 'bin');
  if (existsSync(join(bin, 'node'))) return bin;
  process.stderr.write(
    `Node ${process.version} is not supported here; fetching Node ${FETCHED_VERSION} (${packageName}).\n`,
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(
    npm,
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ].concat(`${packageName}@${FETCHED_VERSION}`),
    { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (install.error) throw install.error;
  if (install.status !== 0 || !existsSync(join(bin, 'node'))) {
    const reason =
      (install.stderr || '').split('\n').find((line) => line.trim()) || `npm exited with ${install.status}`;
    throw new Error(reason.replace(/^npm (error|ERR!) /, ''));
  }
  return bin;
}

/** Runs the command line through the shell and ends as it ends: with its exit code, or by its signal. */
function run(commandLine, env) {
  const child = spawn(commandLine, { stdio: 'inherit', env, shell: true });
  // A Ctrl-C reaches the whole process group, the child included: this process only waits for the child to end,
  // so that the child drains and prints its shutdown lines before the command returns.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
}

function main() {
  const commandLine = process.argv.slice(2).join(' ');
  if (!commandLine) {
    process.stderr.write("usage: node tools/node/with-supported-node.cjs '<command line>' [more args...]\n");
    process.exit(2);
  }
  if (isSupported(process.versions.node)) return run(commandLine, process.env);
  let bin;
  try {
    bin = fetchedNodeBin();
  } catch (error) {
    process.stderr.write(
      `Node ${process.version} is not supported (22.15+, 24 or 26 is needed) and Node ${FETCHED_VERSION} could not be ` +
        `fetched from the npm registry (${error.message}): install Node 24 and run the command again.\n`,
    );
    process.exit(1);
  }
  run(commandLine, { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH || ''}` });
}

if (require.main === module) main();

module.exports = { isSupported };
