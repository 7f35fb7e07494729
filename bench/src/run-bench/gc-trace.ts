/** What V8's GC trace (`--trace-gc-nvp`) says about the measured loads of one variant, per request. */
export interface GcStats {
  /** Bytes allocated on the JS heap per request, in KB: the work every request gives the GC. */
  allocatedKbPerRequest: number;
  /** Bytes that survived young-generation collections and moved to the old generation, per request, in KB. */
  promotedKbPerRequest: number;
  /** Time in GC pauses per request, µs (moves with machine load, unlike the two above). */
  pauseUsPerRequest: number;
  scavenges: number;
  markCompacts: number;
}

interface GcTotals {
  allocated: number;
  promoted: number;
  pauseMs: number;
  scavenges: number;
  markCompacts: number;
}

/** Sums the `--trace-gc-nvp` lines in `log` (one per collection: `pause=… gc=s … allocated=… promoted=…`). */
export function sumGcTrace(log: string): GcTotals {
  const totals: GcTotals = { allocated: 0, promoted: 0, pauseMs: 0, scavenges: 0, markCompacts: 0 };
  for (const line of log.split('\n')) {
    const kind = / gc=(\w+)/.exec(line)?.[1];
    if (kind === undefined) continue;
    const field = (name: string): number => Number(new RegExp(` ${name}=([\\d.]+)`).exec(line)?.[1] ?? 0);
    totals.allocated += field('allocated');
    totals.promoted += field('promoted');
    totals.pauseMs += field('pause');
    if (kind === 's') totals.scavenges++;
    else totals.markCompacts++;
  }
  return totals;
}

/** The totals of a variant's processes over the requests they answered during the measured loads. */
export function gcStatsPerRequest(totals: GcTotals[], requests: number): GcStats {
  const sum = (key: keyof GcTotals): number => totals.reduce((total, item) => total + item[key], 0);
  const perRequest = Math.max(1, requests);
  return {
    allocatedKbPerRequest: sum('allocated') / 1024 / perRequest,
    promotedKbPerRequest: sum('promoted') / 1024 / perRequest,
    pauseUsPerRequest: (sum('pauseMs') * 1000) / perRequest,
    scavenges: sum('scavenges'),
    markCompacts: sum('markCompacts'),
  };
}
