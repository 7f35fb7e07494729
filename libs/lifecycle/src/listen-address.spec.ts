import { readListenAddress } from './listen-address';

describe('readListenAddress', () => {
  it('defaults to port 3000 on every interface', () => {
    expect(readListenAddress({})).toEqual({ port: 3000, host: '0.0.0.0' });
  });

  it('reads PORT and HOST over the defaults', () => {
    expect(readListenAddress({ PORT: '8080', HOST: '127.0.0.1' }, { port: 3001 })).toEqual({
      port: 8080,
      host: '127.0.0.1',
    });
    expect(readListenAddress({}, { port: 3001, host: '::1' })).toEqual({ port: 3001, host: '::1' });
  });

  it.each(['abc', '3000x', '-1', '65536', '1.5'])('rejects PORT=%s naming the variable and the value', (port) => {
    expect(() => readListenAddress({ PORT: port })).toThrow(`PORT="${port}" is not a TCP port`);
  });
});
