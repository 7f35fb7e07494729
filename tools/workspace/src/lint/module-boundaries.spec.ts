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

describe('the floors of libs/telemetry/src (nx lint)', () => {
  const layered = expect.stringContaining('libs/telemetry/src is layered');

  it('let a folder import a floor below it', async () => {
    expect(
      await boundaryErrors(
        'libs/telemetry/src/decorators/probe.ts',
        "import { isTelemetryDisabled } from '../state/started-telemetry';\nexport const used = isTelemetryDisabled;\n",
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        'libs/telemetry/src/sdk/probe.ts',
        "import { redactUrl } from '../http/redact-query';\nexport const used = redactUrl;\n",
      ),
    ).toEqual([]);
  });

  it('forbid the state to import anything of the library', async () => {
    const errors = await boundaryErrors(
      'libs/telemetry/src/state/probe.ts',
      "import { LIBRARY_SCOPE } from '../telemetry.constants';\nexport const used = LIBRARY_SCOPE;\n",
    );
    expect(errors).toEqual([layered]);
  });

  it.each([
    ['decorators', '../sdk/start-telemetry'],
    ['logging', '../sdk/start-telemetry'],
    ['metrics/prometheus', '../../sdk/start-telemetry'],
    ['metrics', './prometheus/metrics-server'],
    ['http', '../logging/log-level'],
    ['http', '../nest-handlers/message-carriers'],
    ['nest-handlers', '../logging/log-level'],
  ])('forbid %s/ to import a floor above it (%s)', async (folder, path) => {
    const errors = await boundaryErrors(
      `libs/telemetry/src/${folder}/probe.ts`,
      `import * as above from '${path}';\nexport const used = above;\n`,
    );
    expect(errors).toEqual([layered]);
  });

  it('keep the specs’ helpers out of the library, and the library’s own boundary rule on the floors', async () => {
    const fromSdk = await boundaryErrors(
      'libs/telemetry/src/sdk/probe.ts',
      "import { withEnv } from '../spec-support/with-env';\nexport const used = withEnv;\n",
    );
    expect(fromSdk).toEqual([layered]);
    const fromModule = await boundaryErrors(
      'libs/telemetry/src/probe.ts',
      "import { withEnv } from './spec-support/with-env';\nexport const used = withEnv;\n",
    );
    expect(fromModule).toEqual([expect.stringContaining('for specs alone')]);
    const fromSpec = await boundaryErrors(
      'libs/telemetry/src/sdk/probe.spec.ts',
      "import { withEnv } from '../spec-support/with-env';\nexport const used = withEnv;\n",
    );
    expect(fromSpec).toEqual([]);
    const internals = await boundaryErrors(
      'libs/telemetry/src/sdk/probe.ts',
      "import { createApp } from '@obs/lifecycle/src/create-app';\nexport const used = createApp;\n",
    );
    expect(internals).toEqual(expect.arrayContaining([expect.stringContaining('not its internals')]));
  });
});
