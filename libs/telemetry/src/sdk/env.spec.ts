import { hasOtlpEndpoint, readEnvBoolean, readEnvList, readEnvPort } from './env';

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

  it('sees an OTLP endpoint for all signals or for one', () => {
    expect(hasOtlpEndpoint({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'x' }, 'LOGS')).toBe(true);
    expect(hasOtlpEndpoint({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'x' }, 'TRACES')).toBe(false);
  });
});
