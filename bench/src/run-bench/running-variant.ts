import { NodeProcess } from './node-process';
import { benchBundle, HEALTH_API_MAIN } from './paths';
import type { Variant } from './variants';

/** A variant's app, running, with what has been sent to it so far. */
export interface RunningVariant {
  variant: Variant;
  /** Which of the variant's processes (0, 1, …). */
  replica: number;
  app: NodeProcess;
  /** RSS right after start-up, before any request. */
  idleRssMb: number;
  /** Responses received over the whole run, warm-up included (for spans per request). */
  responses: number;
}

export async function startVariant(
  variant: Variant,
  sinkUrl: string,
  logDir: string,
  replica = 0,
): Promise<RunningVariant> {
  const script = variant.program === 'bare-app' ? benchBundle('bare-app') : HEALTH_API_MAIN;
  const app = await NodeProcess.start(`${variant.id}#${replica}`, script, variant.env(sinkUrl), logDir);
  return { variant, replica, app, idleRssMb: app.rssMb(), responses: 0 };
}
