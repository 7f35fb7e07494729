import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { enableGracefulShutdown } from './graceful-shutdown';

/** An app whose close() never settles: the shutdown is still draining when the next signal comes. */
function drainingApp(): INestApplicationContext & { close: jest.Mock } {
  return { close: jest.fn(() => new Promise<void>(() => undefined)) } as unknown as INestApplicationContext & {
    close: jest.Mock;
  };
}

describe('enableGracefulShutdown', () => {
  let exit: jest.SpyInstance;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers();
    exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('takes the SIGINT and SIGTERM that tools relay right after a Ctrl-C as that same Ctrl-C, and keeps draining', () => {
    const app = drainingApp();
    enableGracefulShutdown(app);
    // The terminal's SIGINT, nx forwarding it, nx's SIGTERM to its task: within milliseconds.
    process.emit('SIGINT', 'SIGINT');
    jest.advanceTimersByTime(5);
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGTERM', 'SIGTERM');
    expect(app.close).toHaveBeenCalledTimes(1);
    expect(exit).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('exits 1 at once on a second Ctrl-C a moment later', () => {
    enableGracefulShutdown(drainingApp());
    process.emit('SIGINT', 'SIGINT');
    jest.advanceTimersByTime(1_000);
    process.emit('SIGINT', 'SIGINT');
    expect(exit).toHaveBeenCalledWith(1);
    expect(warn).toHaveBeenCalledWith('SIGINT received again: exiting without waiting');
  });

  it('after a SIGTERM, exits 1 at once on any second signal, however soon', () => {
    enableGracefulShutdown(drainingApp());
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGINT', 'SIGINT');
    expect(exit).toHaveBeenCalledWith(1);
  });
});
