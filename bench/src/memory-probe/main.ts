import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MEMORY_REQUEST, type MemoryReading } from './memory-reading';

/**
 * Preloaded (`--require`) into the app of the bench's memory check, which it asks over the IPC channel:
 * on `memory`, a full GC, then the process's memory as the GC left it. Telling the heap the app keeps from
 * the memory V8 holds on to is what an RSS reading alone cannot do. `gc` is taken without `--expose-gc`,
 * so that the app's own flags are those of every other run.
 */

// Taken once, so that no context made for it is still alive when the heap is read.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function readMemory(): MemoryReading {
  collectGarbage();
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  const spaces = Object.fromEntries(
    getHeapSpaceStatistics().map((space) => [
      space.space_name,
      { committed: space.physical_space_size, used: space.space_used_size },
    ]),
  );
  return { rss, heapUsed, heapTotal, external, arrayBuffers, spaces };
}

if (process.send) {
  process.on('message', (message) => {
    if (message === MEMORY_REQUEST) process.send?.(readMemory());
  });
  // The channel must not keep the app alive when it shuts down.
  process.channel?.unref();
}
