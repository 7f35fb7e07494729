import { captureDiagnostics, type CapturedDiagnostics } from '../spec-support/captured-diagnostics';
import { inEnv } from '../spec-support/with-env';
import { checkOtlpEndpoints, hasOtlpEndpoint, readEnvNumber, readEnvOr, readEnvPort, readExporterNames } from './env';

describe('environment reading', () => {
  let diagnostics: CapturedDiagnostics;
  beforeEach(() => (diagnostics = captureDiagnostics()));
  afterEach(() => diagnostics.restore());

  it('reads ports and names the variable and value when one is bad', () => {
    expect(inEnv({ P: ' 9464 ' }, () => readEnvPort('P'))).toBe(9464);
    expect(inEnv({ P: '' }, () => readEnvPort('P'))).toBeUndefined();
    expect(() => inEnv({ P: 'abc' }, () => readEnvPort('P'))).toThrow('P="abc" is not a TCP port');
    expect(() => inEnv({ P: '70000' }, () => readEnvPort('P'))).toThrow('P="70000" is not a TCP port');
  });

  it('reads numbers within a range, whole or not, naming the variable, the value and the range when one is out', () => {
    const ratio = { min: 0, max: 1, noun: 'a sampling ratio', integer: false };
    expect(inEnv({ R: '0.25' }, () => readEnvNumber('R', ratio))).toBe(0.25);
    expect(() => inEnv({ R: '5' }, () => readEnvNumber('R', ratio))).toThrow(
      'R="5" is not a sampling ratio: expected a number from 0 to 1',
    );
    expect(() => inEnv({ R: 'abc' }, () => readEnvNumber('R', ratio))).toThrow('R="abc" is not a sampling ratio');
    expect(() => inEnv({ N: '2.5' }, () => readEnvNumber('N', { min: 1, max: 9, noun: 'a count' }))).toThrow(
      'expected an integer from 1 to 9',
    );
  });

  it('falls back with one warning naming the variable, the value and the consequence', () => {
    expect(inEnv({ P: 'x' }, () => readEnvOr(() => readEnvPort('P'), 9464, 'using 9464'))).toBe(9464);
    expect(inEnv({ P: '80' }, () => readEnvOr(() => readEnvPort('P'), 9464, 'using 9464'))).toBe(80);
    expect(diagnostics.warnings).toEqual(['P="x" is not a TCP port: expected an integer from 1 to 65535; using 9464']);
  });

  it('sees an OTLP endpoint for all signals or for one', () => {
    const logs = { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://collector:4318/v1/logs' };
    expect(inEnv(logs, () => hasOtlpEndpoint('LOGS'))).toBe(true);
    expect(inEnv(logs, () => hasOtlpEndpoint('TRACES'))).toBe(false);
    expect(inEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, () => hasOtlpEndpoint('TRACES'))).toBe(true);
    expect(diagnostics.warnings).toEqual([]);
  });

  describe('checkOtlpEndpoints', () => {
    // Every endpoint variable, unset unless a test sets it: what the check writes is put back after each.
    const UNSET = {
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: '',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: '',
    };
    /** The warnings of a check in `env`, and the endpoint variables after it. */
    const check = (env: Record<string, string>): { warnings: string[]; after: Record<string, string | undefined> } =>
      inEnv({ ...UNSET, ...env }, () => {
        checkOtlpEndpoints();
        const after = Object.fromEntries(Object.keys(UNSET).map((name) => [name, process.env[name] || undefined]));
        return { warnings: [...diagnostics.warnings], after };
      });

    it('says nothing of endpoints that are URLs, and leaves them as they are', () => {
      const env = {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318/',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces',
      };
      expect(check(env)).toEqual({ warnings: [], after: { ...env } });
      // Over gRPC, host:port is an endpoint (the exporter adds https://).
      expect(
        check({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' }).warnings,
      ).toEqual([]);
    });

    it.each([
      [
        'OTEL_EXPORTER_OTLP_ENDPOINT',
        'OTEL_EXPORTER_OTLP_ENDPOINT="not-a-url" is not an endpoint URL such as http://collector:4318; ' +
          'using the default, http://localhost:4318',
        'http://localhost:4318',
      ],
      [
        'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
        'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="not-a-url" is not an endpoint URL such as ' +
          'http://collector:4318/v1/traces; using the default, http://localhost:4318/v1/traces',
        'http://localhost:4318/v1/traces',
      ],
      [
        'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
        'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT="not-a-url" is not an endpoint URL such as ' +
          'http://collector:4318/v1/metrics; using the default, http://localhost:4318/v1/metrics',
        'http://localhost:4318/v1/metrics',
      ],
      [
        'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
        'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT="not-a-url" is not an endpoint URL such as ' +
          'http://collector:4318/v1/logs; using the default, http://localhost:4318/v1/logs',
        'http://localhost:4318/v1/logs',
      ],
    ])('writes one line for a bad %s, and puts the default in its place', (name, warning, replacement) => {
      const { warnings, after } = check({ [name]: 'not-a-url' });
      expect(warnings).toEqual([warning]);
      expect(after[name]).toBe(replacement);
    });

    it('says it once: a second check finds the default in place', () => {
      const warnings = inEnv({ ...UNSET, OTEL_EXPORTER_OTLP_ENDPOINT: 'not-a-url' }, () => {
        checkOtlpEndpoints();
        checkOtlpEndpoints();
        return diagnostics.warnings;
      });
      expect(warnings).toHaveLength(1);
    });

    it('still turns OTLP on for a bad endpoint, to the default, as the SDK would', () => {
      expect(inEnv({ ...UNSET, OTEL_EXPORTER_OTLP_ENDPOINT: 'not-a-url' }, () => hasOtlpEndpoint('TRACES'))).toBe(true);
      expect(diagnostics.warnings).toHaveLength(1);
    });

    it('takes an http(s) URL over HTTP: host:port without a scheme is not one there', () => {
      const { warnings } = check({ OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' });
      expect(warnings).toEqual([
        'OTEL_EXPORTER_OTLP_ENDPOINT="localhost:4318" is not an endpoint URL such as http://collector:4318; ' +
          'using the default, http://localhost:4318',
      ]);
    });

    it('falls back from a bad signal endpoint to the shared one when that is good, naming it and the URL used', () => {
      const { warnings, after } = check({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318/v1/traces',
      });
      expect(warnings).toEqual([
        'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="collector:4318/v1/traces" is not an endpoint URL such as ' +
          'http://collector:4318/v1/traces; using OTEL_EXPORTER_OTLP_ENDPOINT, http://collector:4318/v1/traces',
      ]);
      expect(after).toMatchObject({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
      });
    });

    it('names the gRPC default for a signal over gRPC, and keeps it from the shared HTTP default', () => {
      const { warnings, after } = check({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://[::1',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
      });
      expect(warnings).toEqual([
        'OTEL_EXPORTER_OTLP_ENDPOINT="http://[::1" is not an endpoint URL such as http://collector:4317; ' +
          'using the defaults, http://localhost:4317 and http://localhost:4318',
      ]);
      expect(after).toEqual({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:4317',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: undefined,
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: undefined,
      });
    });
  });

  describe('readExporterNames', () => {
    const read = (value: string) =>
      inEnv({ EXPORTERS: value }, () => readExporterNames('EXPORTERS', ['otlp', 'console', 'none'], 'otlp'));

    it('follows the list, case and spaces aside, without repeats, and the fallback when it is blank', () => {
      expect(read(' Console , otlp,console')).toEqual(['console', 'otlp']);
      expect(read(' ')).toEqual(['otlp']);
      expect(diagnostics.warnings).toEqual([]);
    });

    it('drops unknown names with one warning naming the variable, the value and the supported ones', () => {
      expect(read('jaeger,console')).toEqual(['console']);
      expect(diagnostics.warnings).toEqual([
        'EXPORTERS="jaeger,console": ignoring unknown exporter(s) jaeger; supported: otlp, console, none',
      ]);
    });

    it('is none when every name is unknown', () => {
      expect(read('bogus')).toEqual(['none']);
      expect(diagnostics.warnings).toHaveLength(1);
    });
  });
});
