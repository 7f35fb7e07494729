import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSupported } from './with-supported-node.cjs';

const WRAPPER = join(__dirname, 'with-supported-node.cjs');
const ENGINES: string = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')).engines.node;

function runWrapped(...args: string[]) {
  return spawnSync(process.execPath, [WRAPPER, ...args], { encoding: 'utf8' });
}

describe('with-supported-node', () => {
  it.each([
    ['20.20.2', false],
    ['22.14.0', false],
    ['22.15.0', true],
    ['23.11.0', false],
    ['24.0.0', true],
    ['25.2.1', false],
    ['26.12.1', true],
    ['v26.0.0', true],
  ])("admits %s as package.json's engines do: %s", (version, admitted) => {
    expect(isSupported(version, ENGINES)).toBe(admitted);
  });

  it('reads the lines from package.json by default', () => {
    expect(ENGINES).toBe('^22.15.0 || ^24.0.0 || ^26.0.0');
    expect(isSupported('24.1.0')).toBe(true);
    expect(isSupported('20.19.0')).toBe(false);
  });

  // The specs run on a supported Node: the wrapper must then leave PATH and the Node alone.
  it('runs a command line through the shell on the running Node, with its output and exit code', () => {
    const run = runWrapped('node -p process.version && echo "$PATH" && exit 3');
    expect(run.status).toBe(3);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([process.version, process.env['PATH']]);
    expect(run.stderr).toBe('');
  });

  it('appends the arguments npm passes after the command line', () => {
    const run = runWrapped('echo', 'one', '--two');
    expect(run).toMatchObject({ status: 0, stdout: 'one --two\n' });
  });

  it('ends as the command ends when a signal stops it', () => {
    const run = runWrapped('kill -TERM $$');
    expect(run.signal).toBe('SIGTERM');
  });

  it('says how to use it when given no command', () => {
    const run = runWrapped();
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage: node tools/node/with-supported-node.cjs');
  });
});
