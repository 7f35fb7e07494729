import { forwardedClientAddress, normalizeMethod, parseHostHeader, splitTarget } from './server-request-attributes';

describe('server request attributes', () => {
  it.each([
    ['GET', 'GET'],
    ['QUERY', 'QUERY'],
    ['get', 'GET'],
    ['PROPFIND', '_OTHER'],
    [undefined, '_OTHER'],
  ])('normalizes the method %s to %s', (method, expected) => {
    expect(normalizeMethod(method)).toBe(expected);
  });

  it.each([
    ['/users/42?page=2&sort=asc', { path: '/users/42', query: 'page=2&sort=asc' }],
    ['/users/42', { path: '/users/42', query: undefined }],
    ['/?', { path: '/', query: '' }],
    ['http://example.com/a/b?c=1', { path: '/a/b', query: 'c=1' }],
    ['*', { path: '*', query: undefined }],
    [undefined, { path: '/', query: undefined }],
  ])('splits the request target %s into url.path and url.query', (target, expected) => {
    expect(splitTarget(target)).toEqual(expected);
  });

  it.each([
    ['example.com:8080', { address: 'example.com', port: 8080 }],
    ['example.com', { address: 'example.com', port: undefined }],
    ['[::1]:3000', { address: '::1', port: 3000 }],
    ['[::1]', { address: '::1', port: undefined }],
    ['example.com:99999', { address: 'example.com', port: undefined }],
    ['example.com:x', { address: 'example.com', port: undefined }],
    // The last `:` starts the port unless brackets enclose it (an IPv6 address).
    ['2001:db8::1:8080', { address: '2001:db8::1', port: 8080 }],
    ['[2001:db8::1]', { address: '2001:db8::1', port: undefined }],
    ['', undefined],
    [undefined, undefined],
  ])('reads server.address and server.port from the Host header %s', (host, expected) => {
    expect(parseHostHeader(host)).toEqual(expected);
  });

  it.each([
    [{ forwarded: 'for=192.0.2.60;proto=http;by=203.0.113.43' }, '192.0.2.60'],
    [{ forwarded: 'For="[2001:db8:cafe::17]:4711"' }, '2001:db8:cafe::17'],
    [{ forwarded: 'for=192.0.2.43:8080, for=198.51.100.17' }, '192.0.2.43'],
    [{ forwarded: 'proto=https' }, undefined],
    [{ 'x-forwarded-for': '203.0.113.195, 70.41.3.18, 150.172.238.178' }, '203.0.113.195'],
    [{ 'x-forwarded-for': ' ' }, undefined],
    [{ forwarded: 'for=192.0.2.60', 'x-forwarded-for': '203.0.113.195' }, '192.0.2.60'],
    [{}, undefined],
  ])('takes client.address from the forwarding headers %j', (headers, expected) => {
    expect(forwardedClientAddress(headers)).toBe(expected);
  });
});
