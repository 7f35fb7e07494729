import { type INestApplication, Logger } from '@nestjs/common';
import { enableGracefulShutdown, type GracefulShutdownOptions } from './graceful-shutdown';
import { type ListenDefaults, readListenAddress } from './listen-address';

export type ServeOptions = ListenDefaults & GracefulShutdownOptions;

/**
 * Listens on `PORT`/`HOST` with graceful shutdown. A start-up failure (a bad `PORT`, a port in use)
 * is one clear log line and exit code 1, not a stack trace.
 */
export async function serve(app: INestApplication, options: ServeOptions = {}): Promise<void> {
  const logger = new Logger('Bootstrap');
  try {
    const { port, host } = readListenAddress(process.env, options);
    enableGracefulShutdown(app, options);
    await app.listen(port, host).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EADDRINUSE' ? new Error(`Port ${port} on ${host} is already in use`) : error;
    });
    logger.log(`Listening on ${await app.getUrl()}`);
  } catch (error) {
    logger.error(`Cannot start: ${error instanceof Error ? error.message : String(error)}`);
    await app.close().catch(() => undefined);
    process.exit(1);
  }
}
