import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { globalErrorHandler } from '@opentelemetry/core';
import type { Subscription } from 'rxjs';
import { type DiscoveredClass, traceNestHandlers } from './handler-discovery';
import { enabledHandlerKinds, type HandlerKinds } from './handler-kinds';
import { type TraceableClient, traceClient } from './message-clients';
import { type HookableServer, traceServer } from './message-servers';

/**
 * Traces what Nest runs outside HTTP, found through Nest itself, in an app made by `NestFactory` or by
 * `@nestjs/testing`:
 * - when the module is instantiated (before the scheduler, the event emitter and the microservice listeners
 *   read the handlers): the scheduled jobs, `@OnEvent()` handlers and message handlers of every provider and
 *   controller (see `traceNestHandlers`), and every microservice server the app makes, now or later (Nest's
 *   RPC target registry: `NestFactory.createMicroservice()`, `connectMicroservice()`), through the processing
 *   hooks Nest gives servers;
 * - at module init: every `ClientProxy` provided (`ClientsModule`, a factory of `ClientProxyFactory.create()`).
 * Nothing of `@nestjs/microservices`, `@nestjs/schedule` or `@nestjs/event-emitter` is imported: an app
 * without them loads none of them. Nothing here runs per HTTP request. `OTEL_NODE_DISABLED_INSTRUMENTATIONS` turns
 * each kind off (see `enabledHandlerKinds`); disabled telemetry does not provide this at all.
 */
@Injectable()
export class NestHandlersInstrumentation implements OnModuleInit, OnApplicationShutdown {
  private readonly servers: Subscription | undefined;
  private readonly kinds: HandlerKinds = enabledHandlerKinds(process.env['OTEL_NODE_DISABLED_INSTRUMENTATIONS']);

  constructor(private readonly modules: ModulesContainer) {
    if (this.kinds.messaging) {
      this.servers = modules.getRpcTargetRegistry().subscribe((server) => this.traceServer(server));
    }
    for (const type of this.classes()) {
      try {
        traceNestHandlers(type, this.kinds);
      } catch (error) {
        globalErrorHandler(error as Error);
      }
    }
  }

  onModuleInit(): void {
    if (!this.kinds.messaging) return;
    try {
      for (const instance of this.instances()) {
        if (isClientProxy(instance)) traceClient(instance);
      }
    } catch (error) {
      globalErrorHandler(error as Error);
    }
  }

  onApplicationShutdown(): void {
    this.servers?.unsubscribe();
  }

  private traceServer(server: unknown): void {
    try {
      if (typeof server === 'object' && server !== null) traceServer(server as HookableServer);
    } catch (error) {
      globalErrorHandler(error as Error);
    }
  }

  private *classes(): Iterable<DiscoveredClass> {
    const seen = new Set<unknown>();
    for (const moduleRef of this.modules.values()) {
      for (const wrapper of [...moduleRef.providers.values(), ...moduleRef.controllers.values()]) {
        const type = wrapper.metatype as unknown;
        // A factory provider's metatype is the factory, not a class of handlers.
        if (typeof type !== 'function' || wrapper.inject || seen.has(type)) continue;
        seen.add(type);
        yield type as DiscoveredClass;
      }
    }
  }

  private *instances(): Iterable<unknown> {
    for (const moduleRef of this.modules.values()) {
      for (const wrapper of moduleRef.providers.values()) {
        if (wrapper.isDependencyTreeStatic() && !wrapper.isTransient) yield wrapper.instance;
      }
    }
  }
}

function isClientProxy(instance: unknown): instance is TraceableClient {
  if (typeof instance !== 'object' || instance === null) return false;
  const candidate = instance as Record<string, unknown>;
  return (
    typeof candidate.send === 'function' &&
    typeof candidate.emit === 'function' &&
    typeof candidate.createPacket === 'function' &&
    typeof candidate.connect === 'function'
  );
}
