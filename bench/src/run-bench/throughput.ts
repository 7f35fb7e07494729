import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchSettings } from './bench-settings';
import { runLoad, type LoadResult } from './load';
import { progress } from './progress';
import type { RunningVariant } from './running-variant';
import type { VariantId } from './variants';

/** One variant's load in one round. */
export interface LoadSample {
  round: number;
  /** Which of the variant's processes. */
  replica: number;
  /** Position in the round's order (0 = first), to see whether order matters. */
  position: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * The app's CPU time (user + system) per response during the load. Steadier than req/s on a shared
   * machine: other processes taking a core lower req/s but hardly change the work per request.
   */
  cpuUsPerRequest: number;
  /** RSS right after the load. */
  rssMb: number;
}

const HEALTHZ = '/healthz';

/**
 * Warms every variant up, then loads `GET /healthz` on each in turn for `rounds` rounds. The order
 * rotates each round, so every variant runs in every position and machine noise hits all alike.
 */
export async function measureThroughput(
  variants: RunningVariant[],
  settings: BenchSettings,
): Promise<Map<VariantId, LoadSample[]>> {
  for (const running of variants) {
    progress(`warm-up ${running.app.name} (${settings.warmUpSeconds} s)`);
    await loadHealthz(running, settings, settings.warmUpSeconds);
  }
  const samples = new Map<VariantId, LoadSample[]>(variants.map((running) => [running.variant.id, []]));
  for (const running of variants) running.gcWindow = { start: running.app.logSize(), end: 0, responses: 0 };
  for (let round = 0; round < settings.rounds; round++) {
    const order = rotate(variants, round);
    for (const [position, running] of order.entries()) {
      await sleep(settings.pauseMs);
      const cpuBefore = running.app.cpuMicros();
      const result = await loadHealthz(running, settings, settings.runSeconds);
      const cpuUsPerRequest = (running.app.cpuMicros() - cpuBefore) / result.responses;
      if (running.gcWindow) running.gcWindow.responses += result.responses;
      const sample: LoadSample = {
        round,
        replica: running.replica,
        position,
        ...pick(result),
        cpuUsPerRequest,
        rssMb: running.app.rssMb(),
      };
      samples.get(running.variant.id)?.push(sample);
      progress(
        `round ${round + 1}/${settings.rounds} ${running.app.name.padEnd(21)} ${sample.requestsPerSecond.toFixed(0).padStart(6)} req/s` +
          `  p50 ${sample.p50Ms.toFixed(2)} ms  p99 ${sample.p99Ms.toFixed(2)} ms  CPU ${sample.cpuUsPerRequest.toFixed(0)} µs/req  RSS ${sample.rssMb.toFixed(1)} MB`,
      );
    }
  }
  for (const running of variants) if (running.gcWindow) running.gcWindow.end = running.app.logSize();
  return samples;
}

async function loadHealthz(running: RunningVariant, settings: BenchSettings, seconds: number): Promise<LoadResult> {
  const result = await runLoad({
    baseUrl: running.app.url(),
    path: HEALTHZ,
    connections: settings.connections,
    seconds,
  });
  running.responses += result.responses;
  // A timed load ends with up to one request in flight per connection: served (and traced) but not counted.
  running.cutOff += settings.connections;
  if (result.non2xx > 0 || result.errors > 0 || result.responses === 0) {
    const ended = running.app.exitState();
    throw new Error(
      `${running.variant.id}: ${result.responses} responses, ${result.non2xx} not 2xx, ${result.errors} errors on ${HEALTHZ}` +
        `${ended ? ` (the app ${ended} during the load; the bench had not stopped it)` : ''}; its log, ${running.app.logFile}:\n${running.app.logs}`,
    );
  }
  return result;
}

function pick({
  requestsPerSecond,
  p50Ms,
  p99Ms,
}: LoadResult): Pick<LoadSample, 'requestsPerSecond' | 'p50Ms' | 'p99Ms'> {
  return { requestsPerSecond, p50Ms, p99Ms };
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
