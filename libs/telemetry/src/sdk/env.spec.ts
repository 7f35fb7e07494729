import { captureDiagnostics, type CapturedDiagnostics } from '../testing/captured-diagnostics';
import { inEnv } from '../testing/with-env';
import { hasOtlpEndpoint, readEnvNumber, readEnvOr, readEnvPort, readExporterNames } from './env';

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
    expect(inEnv({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'x' }, () => hasOtlpEndpoint('LOGS'))).toBe(true);
    expect(inEnv({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'x' }, () => hasOtlpEndpoint('TRACES'))).toBe(false);
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
