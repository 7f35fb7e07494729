import { type INestApplication, Logger, type NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import { reportStartFailure } from './serve';

/** The HTTP platforms a Nest app of this workspace runs on, chosen by `HTTP_PLATFORM`. */
export const HTTP_PLATFORMS = ['express', 'fastify'] as const;
export type HttpPlatform = (typeof HTTP_PLATFORMS)[number];

export interface CreateAppOptions extends NestApplicationOptions {
  /** Default `express`. `HTTP_PLATFORM` in the environment wins over it. */
  platform?: HttpPlatform;
}

/** Reads `HTTP_PLATFORM`; a value that is not a platform is an error naming the variable and value. */
export function readHttpPlatform(env: NodeJS.ProcessEnv, defaultPlatform: HttpPlatform = 'express'): HttpPlatform {
  const value = env['HTTP_PLATFORM']?.trim();
  if (!value) return defaultPlatform;
  const platform = HTTP_PLATFORMS.find((known) => known === value.toLowerCase());
  if (platform === undefined) {
    throw new Error(`HTTP_PLATFORM="${value}" is not an HTTP platform: expected ${HTTP_PLATFORMS.join(' or ')}`);
  }
  return platform;
}

/** What `NestFactory.create()` takes as the root module. */
type RootModule = Parameters<typeof NestFactory.create>[0];

/**
 * `NestFactory.create(rootModule, options)` on the HTTP platform `HTTP_PLATFORM` names (else `options.platform`,
 * else express): one build runs on either. A `HTTP_PLATFORM` that is not a platform is one log line and exit
 * code 1, through `options.logger` when given, as `serve()` reports its failures.
 */
export async function createApp(rootModule: RootModule, options: CreateAppOptions = {}): Promise<INestApplication> {
  const { platform: defaultPlatform, ...nestOptions } = options;
  let platform: HttpPlatform;
  try {
    platform = readHttpPlatform(process.env, defaultPlatform);
  } catch (error) {
    if (nestOptions.logger !== undefined) Logger.overrideLogger(nestOptions.logger);
    reportStartFailure(error);
    process.exit(1);
  }
  if (platform === 'express') return NestFactory.create(rootModule, nestOptions);
  return NestFactory.create(rootModule, new (loadFastifyAdapter())(), nestOptions);
}

/**
 * Fastify's adapter, loaded only when chosen: an express app never loads Fastify (Nest loads
 * `@nestjs/platform-express` itself, likewise only when no adapter is given).
 */
function loadFastifyAdapter(): typeof FastifyAdapter {
  return (require('@nestjs/platform-fastify') as typeof import('@nestjs/platform-fastify')).FastifyAdapter;
}
