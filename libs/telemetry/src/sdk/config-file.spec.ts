import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withEnv } from '../spec-support/with-env';
import { parseConfigurationFile, warnConfigFileNotApplied } from './config-file';

describe('parseConfigurationFile', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'otel-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function fileWith(name: string, text: string): string {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  }

  it("reads the model through the SDK's parser, with ${VAR} substituted", () => {
    const restore = withEnv({ CONFIG_SPEC_REGION: 'eu-west-1' });
    const file = fileWith(
      'ok.yaml',
      'file_format: "1.0"\nresource:\n  attributes:\n    - name: cloud.region\n      value: ${CONFIG_SPEC_REGION}\n',
    );
    try {
      expect(parseConfigurationFile(file)).toEqual({
        resource: { attributes: [{ name: 'cloud.region', value: 'eu-west-1' }] },
      });
    } finally {
      restore();
    }
  });

  it.each([
    [
      'a missing file',
      () => join(dir, 'missing.yaml'),
      /^cannot be read \(ENOENT: no such file or directory, open '.*missing\.yaml'\)$/,
    ],
    ['a directory', () => dir, /^cannot be read \(EISDIR: illegal operation on a directory, read\)$/],
    [
      'broken YAML that the SDK would half-read',
      () => fileWith('broken.yaml', 'file_format: "1.0"\nresource:\n  schema_url: "unterminated\n'),
      /^is not valid YAML: Missing closing "quote at line 4, column 1$/,
    ],
    [
      'a schema error',
      () => fileWith('schema.yaml', 'file_format: "1.0"\ntracer_provider:\n  processors: 5\n'),
      /^does not match the configuration schema: \/tracer_provider\/processors must be array$/,
    ],
    [
      'no file_format',
      () => fileWith('empty.yaml', ''),
      /^is not a configuration file: Unsupported file_format: "undefined"\. Expected a "MAJOR\.MINOR" version string\.$/,
    ],
  ])('says what is wrong with %s in one line, without the file name', (_label, file, problem) => {
    expect(() => parseConfigurationFile(file())).toThrow(problem);
  });
});

describe('warnConfigFileNotApplied', () => {
  it('writes one line naming the file and the problem, whatever OTEL_LOG_LEVEL says', () => {
    const restore = withEnv({ OTEL_LOG_LEVEL: 'none' });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      warnConfigFileNotApplied('/etc/otel.yaml', new Error('boom'));
      expect(warn.mock.calls).toEqual([
        [
          'OTEL_CONFIG_FILE="/etc/otel.yaml" cannot be applied: boom; ' +
            'configuring OpenTelemetry from the OTEL_* environment variables instead',
        ],
      ]);
    } finally {
      warn.mockRestore();
      restore();
    }
  });
});
