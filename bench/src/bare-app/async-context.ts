import { AsyncLocalStorage } from 'node:async_hooks';
import type { INestApplication } from '@nestjs/common';

/**
 * Runs every request in an `AsyncLocalStorage` store of its own, as OpenTelemetry's context manager
 * does, and nothing else: the `bare-async-context` variant, the cost of async context propagation
 * alone, which any tracing of a Nest app pays (on Node 22 through async hooks on every
 * promise; Node 24 propagates it more cheaply).
 */
export function useAsyncContextPerRequest(app: INestApplication): void {
  const storage = new AsyncLocalStorage<{ url: string | undefined }>();
  app.use((request: { url?: string }, _response: unknown, next: () => void) => storage.run({ url: request.url }, next));
}
