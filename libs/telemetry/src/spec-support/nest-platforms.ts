import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { TestingModule } from '@nestjs/testing';
import type { HttpPlatform } from '@obs/lifecycle';

// The library's HTTP features are tested on every platform an app of this workspace runs on, as
// @obs/lifecycle's createApp() names them: one list, so that a platform added there is tested here.
export { HTTP_PLATFORMS, type HttpPlatform } from '@obs/lifecycle';

/**
 * A Nest app of `moduleRef` on `platform`, configured (global prefix, versioning…) and ready to serve:
 * Fastify registers its routes only once it is `ready()`, which `init()` alone does not wait for.
 */
export async function createPlatformApp(
  moduleRef: TestingModule,
  platform: HttpPlatform,
  {
    logger = false,
    configure,
  }: { logger?: NestApplicationOptions['logger']; configure?: (app: INestApplication) => void } = {},
): Promise<INestApplication> {
  const app =
    platform === 'fastify'
      ? moduleRef.createNestApplication(new FastifyAdapter(), { logger })
      : moduleRef.createNestApplication({ logger });
  configure?.(app);
  await app.init();
  if (platform === 'fastify') await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  return app;
}
