import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { Observable } from 'rxjs';

/** The parts of an express or fastify request that name the matched route template. */
interface RoutedRequest {
  route?: { path?: unknown };
  routeOptions?: { url?: unknown };
}

/**
 * Gives the HTTP server span and the `http.server.request.duration` histogram their `http.route`
 * from the route Nest matched (`/users/:id`, never `/users/42`), which also names the span
 * `GET /users/:id`. Doing it here, once per request, replaces the express instrumentation and its
 * span per middleware layer. Requests that match no route keep the bare method as span name.
 */
@Injectable()
export class HttpRouteInterceptor implements NestInterceptor {
  intercept(executionContext: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (executionContext.getType() === 'http') {
      const rpcMetadata = getRPCMetadata(context.active());
      const route = matchedRoute(executionContext.switchToHttp().getRequest<RoutedRequest>());
      if (rpcMetadata?.type === RPCType.HTTP && route !== undefined) {
        rpcMetadata.route = route;
      }
    }
    return next.handle();
  }
}

function matchedRoute(request: RoutedRequest): string | undefined {
  const route = request.route?.path ?? request.routeOptions?.url;
  return typeof route === 'string' ? route : undefined;
}
