import { readHttpPlatform } from './create-app';

describe('readHttpPlatform', () => {
  it('defaults to express, or to the platform the app gives', () => {
    expect(readHttpPlatform({})).toBe('express');
    expect(readHttpPlatform({ HTTP_PLATFORM: ' ' }, 'fastify')).toBe('fastify');
  });

  it('reads HTTP_PLATFORM over the default, whatever its case', () => {
    expect(readHttpPlatform({ HTTP_PLATFORM: 'fastify' })).toBe('fastify');
    expect(readHttpPlatform({ HTTP_PLATFORM: 'Express' }, 'fastify')).toBe('express');
  });

  it.each(['koa', 'fastify5', 'express,fastify'])(
    'rejects HTTP_PLATFORM=%s naming the variable and the value',
    (value) => {
      expect(() => readHttpPlatform({ HTTP_PLATFORM: value })).toThrow(
        `HTTP_PLATFORM="${value}" is not an HTTP platform: expected express or fastify`,
      );
    },
  );
});
