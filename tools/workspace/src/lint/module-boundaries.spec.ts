import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const WORKSPACE_ROOT = join(__dirname, '../../../..');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/**
 * The boundary errors the workspace's ESLint reports for `code` as if it were the file at `filePath`.
 * ESLint runs in its own process, as `nx lint` runs it: its ESM config cannot load inside Jest's sandbox.
 */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const eslint = spawnSync(
    join(WORKSPACE_ROOT, 'node_modules/.bin/eslint'),
    ['--stdin', '--stdin-filename', join(WORKSPACE_ROOT, filePath), '--format', 'json'],
    { cwd: WORKSPACE_ROOT, input: code, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
  );
  const [result] = JSON.parse(eslint.stdout) as Array<{ messages: LintMessage[] }>;
  return result.messages
    .filter(
      (message) => message.ruleId === '@nx/enforce-module-boundaries' || message.ruleId === 'no-restricted-imports',
    )
    .map((message) => message.message);
}

describe('module boundaries (nx lint)', () => {
  it('let an app import a library through its public alias', async () => {
    expect(
      await boundaryErrors(
        'apps/health-api/src/probe.ts',
        "import { Span } from '@obs/telemetry';\nexport const used = Span;\n",
      ),
    ).toEqual([]);
  });

  it('forbid an app to import another app', async () => {
    const errors = await boundaryErrors(
      'apps/health-api/src/probe.ts',
      "import { AppModule } from '../../gateway-api/src/app/app.module';\nexport const used = AppModule;\n",
    );
    expect(errors).toEqual([expect.stringContaining('Projects cannot be imported by a relative or absolute path')]);
  });

  it('forbid an app to reach into a library’s internals', async () => {
    const byAlias = await boundaryErrors(
      'apps/gateway-api/src/probe.ts',
      "import { readEnv } from '@obs/telemetry/src/sdk/env';\nexport const used = readEnv;\n",
    );
    expect(byAlias).toEqual([expect.stringContaining('not its internals')]);
    const byPath = await boundaryErrors(
      'apps/gateway-api/src/probe.ts',
      "import { readEnv } from '../../../libs/telemetry/src/sdk/env';\nexport const used = readEnv;\n",
    );
    expect(byPath).toEqual([expect.stringContaining('Projects cannot be imported by a relative or absolute path')]);
  });

  it('forbid a library to import an app', async () => {
    const errors = await boundaryErrors(
      'libs/telemetry/src/probe.ts',
      "import { AppModule } from '../../../apps/health-api/src/app/app.module';\nexport const used = AppModule;\n",
    );
    expect(errors).not.toEqual([]);
  });
});
