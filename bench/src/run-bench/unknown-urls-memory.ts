import { MEMORY_REQUEST, type MemoryReading } from '../memory-probe/memory-reading';
import type { BenchSettings } from './bench-settings';
import { runLoad } from './load';
import { progress } from './progress';
import type { RunningVariant } from './running-variant';

/** RSS and `/metrics` size after some number of requests to distinct unknown URLs. */
export interface MemoryCheckpoint {
  requests: number;
  rssMb: number;
  /** Sample lines (not comments) in `/metrics`. Runtime metrics add a few as new kinds of GC first run. */
  metricsSamples: number;
  /** Of those, the `http_server_*` ones: the series unknown URLs would multiply if they were labelled by URL. */
  httpServerSamples: number;
  /**
   * After a full GC (the memory probe's reading): what the app keeps (`heapUsedMb`), and what V8 holds for
   * its young generation (`newSpaceMb`, committed) and old generation (`oldSpaceMb`, committed).
   */
  afterGc?: { rssMb: number; heapUsedMb: number; newSpaceMb: number; oldSpaceMb: number };
}

export interface UnknownUrlsMemoryResult {
  variant: string;
  warmUpRequests: number;
  requests: number;
  /** After the warm-up, before the counted requests. */
  before: MemoryCheckpoint;
  after: MemoryCheckpoint;
  checkpoints: MemoryCheckpoint[];
  /** Answers other than 404 (there should be none). */
  unexpectedStatus: number;
}

/**
 * Sends `requests` GETs, each to its own unknown URL (`/unknown/<n>`), to a freshly started app and
 * reads its RSS before and at checkpoints. A leak per URL (span names, series, route caches) shows
 * as growth; a steady state shows as a flat line. Bounded: a fixed number of requests on loopback.
 */
export async function measureUnknownUrlsMemory(
  running: RunningVariant,
  settings: BenchSettings,
): Promise<UnknownUrlsMemoryResult> {
  const { warmUp, requests, checkpoints } = settings.unknownUrls;
  let next = 0;
  const uniquePath = (): string => `/unknown/${next++}`;
  let unexpectedStatus = await sendUnknown(running, settings, warmUp, uniquePath);
  const before = await checkpoint(running, 0);
  progress(
    `unknown URLs: before ${before.rssMb.toFixed(1)} MB RSS, ${before.metricsSamples} /metrics samples (${before.httpServerSamples} http_server_*)`,
  );
  const readings: MemoryCheckpoint[] = [before];
  const perCheckpoint = Math.ceil(requests / checkpoints);
  for (let sent = 0; sent < requests; sent += perCheckpoint) {
    unexpectedStatus += await sendUnknown(running, settings, Math.min(perCheckpoint, requests - sent), uniquePath);
    const reading = await checkpoint(running, Math.min(sent + perCheckpoint, requests));
    readings.push(reading);
    progress(
      `unknown URLs: after ${reading.requests} requests ${reading.rssMb.toFixed(1)} MB RSS, ${reading.metricsSamples} /metrics samples (${reading.httpServerSamples} http_server_*)` +
        `, after GC ${reading.afterGc?.heapUsedMb.toFixed(1)} MB heap used`,
    );
  }
  return {
    variant: running.variant.id,
    warmUpRequests: warmUp,
    requests,
    before,
    after: readings[readings.length - 1] ?? before,
    checkpoints: readings,
    unexpectedStatus,
  };
}

/** Sends `count` requests to distinct unknown URLs; resolves to the number of answers that were not 404. */
async function sendUnknown(
  running: RunningVariant,
  settings: BenchSettings,
  count: number,
  path: () => string,
): Promise<number> {
  const result = await runLoad({
    baseUrl: running.app.url(),
    path,
    connections: settings.connections,
    requests: count,
  });
  running.responses += result.responses;
  if (result.errors > 0) throw new Error(`${running.variant.id}: ${result.errors} connection errors on unknown URLs`);
  return result.responses - (result.statusCodes[404] ?? 0);
}

async function checkpoint(running: RunningVariant, requests: number): Promise<MemoryCheckpoint> {
  const metrics = await (await fetch(`${running.app.url()}/metrics`)).text();
  const samples = metrics.split('\n').filter((line) => line && !line.startsWith('#'));
  const httpServerSamples = samples.filter((line) => line.startsWith('http_server_')).length;
  const rssMb = running.app.rssMb();
  const afterGc = toMegabytes(await running.app.ask<MemoryReading>(MEMORY_REQUEST));
  return { requests, rssMb, metricsSamples: samples.length, httpServerSamples, afterGc };
}

function toMegabytes(reading: MemoryReading): NonNullable<MemoryCheckpoint['afterGc']> {
  const mb = (bytes = 0): number => bytes / 1024 / 1024;
  return {
    rssMb: mb(reading.rss),
    heapUsedMb: mb(reading.heapUsed),
    newSpaceMb: mb(reading.spaces['new_space']?.committed),
    oldSpaceMb: mb(reading.spaces['old_space']?.committed),
  };
}
