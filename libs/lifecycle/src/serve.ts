import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { type INestApplication, Logger } from '@nestjs/common';
import { enableGracefulShutdown, type GracefulShutdownOptions } from './graceful-shutdown';
import { type ListenDefaults, readListenAddress } from './listen-address';

export type ServeOptions = ListenDefaults & GracefulShutdownOptions;

/**
 * Listens on `PORT`/`HOST` (else the defaults given) with graceful shutdown, and logs the address the
 * socket is really bound to. A start-up failure (a bad `PORT`, a port in use) is one log line and exit
 * code 1, not a stack trace.
 */
export async function serve(app: INestApplication, options: ServeOptions = {}): Promise<void> {
  const logger = new Logger('Bootstrap');
  try {
    const { port, host } = readListenAddress(process.env, options);
    // Checked before Nest listens: Nest logs a listen error itself, which would make a second line.
    await assertPortFree(port, host);
    enableGracefulShutdown(app, options);
    await app.listen(port, host);
    logger.log(`Listening on ${httpUrl(app.getHttpServer().address() as AddressInfo)}`);
  } catch (error) {
    reportStartFailure(error);
    await app.close().catch(() => undefined);
    process.exit(1);
  }
}

/** A start-up failure as one log line, its message without a stack trace: `Cannot start: PORT="x" is not…`. */
export function reportStartFailure(error: unknown): void {
  new Logger('Bootstrap').error(`Cannot start: ${error instanceof Error ? error.message : String(error)}`);
}

function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} on ${host} is already in use`) : error),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function httpUrl({ address, family, port }: AddressInfo): string {
  return `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
}
