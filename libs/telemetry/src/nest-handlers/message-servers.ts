import { context, diag } from '@opentelemetry/api';
import { globalErrorHandler } from '@opentelemetry/core';
import { destinationTemplate, incomingMessage, serverSystem } from './message-carriers';
import { endOperation, type MessageOperation, startConsumer } from './messaging-spans';

type StartHook = (transportId: unknown, rpcContext: unknown, done: () => Promise<unknown>) => unknown;
type EndHook = (transportId: unknown, rpcContext: unknown) => void;

/** What of Nest's `Server` is used: its processing hooks (Nest 12), made for instrumentation. */
export interface HookableServer {
  transportId?: unknown;
  onProcessingStartHook?: StartHook;
  onProcessingEndHook?: EndHook;
  /** The handlers by pattern, as Nest routes them. */
  getHandlers?(): Map<string, unknown>;
  setOnProcessingStartHook?(hook: StartHook): void;
  setOnProcessingEndHook?(hook: EndHook): void;
}

const TRACED_SERVERS = new WeakSet<object>();

/**
 * Makes every message and event the server processes run in a CONSUMER span `process <pattern>`, a child of
 * the context its transport carried, ended with the handler's response stream (Nest's processing start and end
 * hooks, chained to any already set). A failure of telemetry is reported once through the global error
 * handler; the message is processed all the same.
 */
export function traceServer(server: HookableServer): void {
  if (TRACED_SERVERS.has(server) || typeof server.setOnProcessingStartHook !== 'function') return;
  TRACED_SERVERS.add(server);
  const system = serverSystem(server as HookableServer & { constructor: { name: string } });
  const operations = new WeakMap<object, MessageOperation>();
  const previousStart: StartHook = server.onProcessingStartHook ?? ((_id, _ctx, done) => done());
  const previousEnd = server.onProcessingEndHook;
  server.setOnProcessingStartHook((transportId, rpcContext, done) => {
    let operation: MessageOperation | undefined;
    try {
      if (typeof rpcContext === 'object' && rpcContext !== null) {
        const message = incomingMessage(system, rpcContext);
        const patterns = server.getHandlers?.().keys() ?? [];
        operation = startConsumer(system, message, destinationTemplate(system, patterns, message.destination));
        operations.set(rpcContext, operation);
      }
    } catch (error) {
      globalErrorHandler(error as Error);
    }
    if (operation === undefined) return previousStart(transportId, rpcContext, done);
    return context.with(operation.context, () => previousStart(transportId, rpcContext, done));
  });
  server.setOnProcessingEndHook?.((transportId, rpcContext) => {
    try {
      const operation = typeof rpcContext === 'object' && rpcContext !== null ? operations.get(rpcContext) : undefined;
      if (operation !== undefined) {
        operations.delete(rpcContext as object);
        endOperation(operation, 'process');
      }
    } catch (error) {
      globalErrorHandler(error as Error);
    }
    previousEnd?.(transportId, rpcContext);
  });
  diag.debug(`@obs/telemetry: tracing messages of the ${system} server`);
}
