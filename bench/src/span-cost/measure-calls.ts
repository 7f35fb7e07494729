import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { median } from '../shared/statistics';

export interface CallTiming {
  /** Median over samples of the elapsed time per call, yields to the event loop included. */
  nsPerCall: number;
  calls: number;
}

/** Calls per synchronous chunk; between chunks the event loop runs (batch export, timers, microtasks). */
const CHUNK = 256;

/**
 * Times `call`, `iterations` times per sample, in chunks that yield to the event loop, so that the
 * asynchronous work a call causes (a batch processor's export) is counted too.
 */
export async function measureCalls(call: () => number, iterations: number, samples: number): Promise<CallTiming> {
  let sink = 0;
  const perCall: number[] = [];
  for (let sample = 0; sample < samples; sample++) {
    const started = process.hrtime.bigint();
    for (let done = 0; done < iterations; done += CHUNK) {
      for (let i = 0; i < CHUNK; i++) sink += call();
      await yieldToEventLoop();
    }
    const calls = Math.ceil(iterations / CHUNK) * CHUNK;
    perCall.push(Number(process.hrtime.bigint() - started) / calls);
  }
  if (sink === 0) throw new Error('the measured calls did nothing');
  return { nsPerCall: median(perCall), calls: Math.ceil(iterations / CHUNK) * CHUNK * samples };
}
