/** What the memory probe answers to `MEMORY_REQUEST`: bytes, after a full GC. */
export interface MemoryReading {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Each V8 heap space's committed and used size (`new_space`, `old_space`, …). */
  spaces: Record<string, { committed: number; used: number }>;
}

/** The message the bench sends the probe over the IPC channel. */
export const MEMORY_REQUEST = 'memory';
