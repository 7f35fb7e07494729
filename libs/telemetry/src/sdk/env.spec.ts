import { diag, type DiagLogger, DiagLogLevel } from '@opentelemetry/api';
import { hasOtlpEndpoint, readEnvBoolean, readEnvList, readEnvNumber, readEnvOr, readEnvPort } from './env';

describe('environment reading', () => {
  it('reads booleans as the specification does: only "true", in any case', () => {
    expect(readEnvBoolean({ X: 'TRUE' }, 'X')).toBe(true);
    expect(readEnvBoolean({ X: '1' }, 'X')).toBe(false);
    expect(readEnvBoolean({}, 'X')).toBe(false);
  });

  it('reads lists without blanks, repeats or case', () => {
    expect(readEnvList({ X: 'A, ,b,a' }, 'X')).toEqual(['a', 'b']);
    expect(readEnvList({ X: '  ' }, 'X')).toBeUndefined();
  });

  it('reads ports and names the variable and value when one is bad', () => {
    expect(readEnvPort({ P: '9464' }, 'P')).toBe(9464);
    expect(readEnvPort({}, 'P')).toBeUndefined();
    expect(() => readEnvPort({ P: 'abc' }, 'P')).toThrow('P="abc" is not a TCP port');
    expect(() => readEnvPort({ P: '70000' }, 'P')).toThrow('P="70000" is not a TCP port');
  });

  it('reads numbers within a range, whole or not, naming the variable, the value and the range when one is out', () => {
    const ratio = { min: 0, max: 1, noun: 'a sampling ratio', integer: false };
    expect(readEnvNumber({ R: '0.25' }, 'R', ratio)).toBe(0.25);
    expect(() => readEnvNumber({ R: '5' }, 'R', ratio)).toThrow(
      'R="5" is not a sampling ratio: expected a number from 0 to 1',
    );
    expect(() => readEnvNumber({ R: 'abc' }, 'R', ratio)).toThrow('R="abc" is not a sampling ratio');
    expect(() => readEnvNumber({ N: '2.5' }, 'N', { min: 1, max: 9, noun: 'a count' })).toThrow(
      'expected an integer from 1 to 9',
    );
  });

  it('falls back with one warning naming the variable, the value and the consequence', () => {
    const warnings: string[] = [];
    diag.setLogger({ warn: (message: string) => warnings.push(message) } as unknown as DiagLogger, DiagLogLevel.WARN);
    try {
      expect(readEnvOr(() => readEnvPort({ P: 'x' }, 'P'), 9464, 'using 9464')).toBe(9464);
      expect(readEnvOr(() => readEnvPort({ P: '80' }, 'P'), 9464, 'using 9464')).toBe(80);
    } finally {
      diag.disable();
    }
    expect(warnings).toEqual(['P="x" is not a TCP port: expected an integer from 1 to 65535; using 9464']);
  });

  it('sees an OTLP endpoint for all signals or for one', () => {
    expect(hasOtlpEndpoint({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'x' }, 'LOGS')).toBe(true);
    expect(hasOtlpEndpoint({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'x' }, 'TRACES')).toBe(false);
  });
});
