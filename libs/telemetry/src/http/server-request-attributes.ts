import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
} from '@opentelemetry/semantic-conventions';

export type UrlScheme = 'http' | 'https';

/** The methods the semantic conventions know; any other is recorded as `_OTHER`, so it cannot make a series. */
const KNOWN_METHODS = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
  'QUERY',
]);

/** `http.request.method`: the method if the conventions know it, `_OTHER` for anything else. */
export function normalizeMethod(method: string | undefined): string {
  if (method === undefined) return HTTP_REQUEST_METHOD_VALUE_OTHER;
  if (KNOWN_METHODS.has(method)) return method;
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : HTTP_REQUEST_METHOD_VALUE_OTHER;
}

/**
 * The SERVER span's attributes known when the request arrives, per the stable HTTP semantic
 * conventions. `url.query` is recorded as sent and redacted before export by
 * `QueryRedactingSpanProcessor`. No header other than `User-Agent`, `Host` and the forwarding ones is read.
 *
 * Built from `{}` one key at a time, as the SDK builds its copy of them, so that both follow the same
 * hidden classes. An object literal with computed keys (`{ [ATTR_URL_PATH]: path }`) costs a call into
 * V8's runtime per key unless its optimizing compiler folds the keys.
 */
export function serverRequestAttributes(request: IncomingMessage, scheme: UrlScheme, method: string): Attributes {
  const { headers, socket } = request;
  const { path, query } = splitTarget(request.url);
  const attributes: Attributes = {};
  attributes[ATTR_HTTP_REQUEST_METHOD] = method;
  attributes[ATTR_URL_SCHEME] = scheme;
  attributes[ATTR_URL_PATH] = path;
  attributes[ATTR_NETWORK_PROTOCOL_VERSION] = request.httpVersion;
  const peerAddress = socket.remoteAddress;
  attributes[ATTR_NETWORK_PEER_ADDRESS] = peerAddress;
  attributes[ATTR_NETWORK_PEER_PORT] = socket.remotePort;
  attributes[ATTR_CLIENT_ADDRESS] = forwardedClientAddress(headers) ?? peerAddress;
  if (query !== undefined) attributes[ATTR_URL_QUERY] = query;
  if (method !== request.method) attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = request.method;
  const userAgent = headers['user-agent'];
  if (userAgent !== undefined) attributes[ATTR_USER_AGENT_ORIGINAL] = userAgent;
  const server = parseHostHeader(headers.host);
  if (server) {
    attributes[ATTR_SERVER_ADDRESS] = server.address;
    if (server.port !== undefined) attributes[ATTR_SERVER_PORT] = server.port;
  }
  return attributes;
}

/**
 * The path and query of a request target: origin form (`/a?b`), or absolute form
 * (`http://host/a?b`, sent to proxies), whose scheme and authority are not part of `url.path`.
 */
export function splitTarget(target: string | undefined): { path: string; query: string | undefined } {
  let url = target || '/';
  if (url.charCodeAt(0) !== 47 /* / */) url = pathOfAbsoluteTarget(url);
  const queryAt = url.indexOf('?');
  return queryAt === -1
    ? { path: url, query: undefined }
    : { path: url.slice(0, queryAt), query: url.slice(queryAt + 1) };
}

function pathOfAbsoluteTarget(target: string): string {
  try {
    const url = new URL(target);
    return url.pathname + url.search;
  } catch {
    return target; // `*` (OPTIONS *) or garbage: recorded as sent, it names no span and no series
  }
}

/** `server.address` and `server.port` from a `Host` header: `example.com:8080`, `[::1]:3000`, `example.com`. */
export function parseHostHeader(host: string | undefined): { address: string; port: number | undefined } | undefined {
  if (!host) return undefined;
  const portAt = host.lastIndexOf(':');
  const closingBracketAt = host.lastIndexOf(']');
  if (portAt === -1 || portAt < closingBracketAt) return { address: unbracket(host), port: undefined };
  const port = Number(host.slice(portAt + 1));
  return {
    address: unbracket(host.slice(0, portAt)),
    port: Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined,
  };
}

/**
 * `client.address` as the conventions ask: the first client a proxy names in `Forwarded` (`for=`) or
 * `X-Forwarded-For`, else none (the caller then uses the peer address).
 */
export function forwardedClientAddress(headers: IncomingHttpHeaders): string | undefined {
  const forwarded = headers.forwarded;
  if (forwarded !== undefined) {
    const match = /(?:^|[;,\s])for=("?)([^";,]+)\1/i.exec(forwarded);
    if (match) return stripPort(match[2]);
  }
  const forwardedFor = headers['x-forwarded-for'];
  if (forwardedFor !== undefined) {
    const first = (Array.isArray(forwardedFor) ? forwardedFor[0] : forwardedFor).split(',', 1)[0].trim();
    if (first) return first;
  }
  return undefined;
}

/** `[2001:db8::1]:4711` → `2001:db8::1`, `192.0.2.60:8080` → `192.0.2.60`, `2001:db8::1` unchanged. */
function stripPort(address: string): string {
  if (address.startsWith('[')) return unbracket(address.slice(0, address.indexOf(']') + 1) || address);
  const colonAt = address.indexOf(':');
  return colonAt !== -1 && colonAt === address.lastIndexOf(':') ? address.slice(0, colonAt) : address;
}

function unbracket(address: string): string {
  return address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
}
