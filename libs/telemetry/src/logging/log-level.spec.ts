import { readLogLevel } from './log-level';

describe('readLogLevel', () => {
  it.each([
    [undefined, 'info'],
    ['', 'info'],
    ['  ', 'info'],
    ['trace', 'trace'],
    ['debug', 'debug'],
    ['warn', 'warn'],
    [' ERROR ', 'error'],
    ['fatal', 'fatal'],
    ['silent', 'silent'],
    ['verbose', 'trace'],
    ['log', 'info'],
  ])('reads %p as %p', (value, level) => {
    expect(readLogLevel(value)).toEqual({ level });
  });

  it.each(['chatty', 'warning', '10', 'info,debug'])('falls back to info for %p, with a warning naming it', (value) => {
    expect(readLogLevel(value)).toEqual({
      level: 'info',
      warning: `LOG_LEVEL="${value}" is not a log level (trace, debug, info, warn, error, fatal, silent); using info`,
    });
  });
});
