/**
 * Sends `count` GET requests to the URLs `urlFor(i)` gives, `concurrency` at a time, reading every body;
 * resolves to how many got each status (`error` for a request that got no answer).
 */
export async function sendRequests(
  count: number,
  urlFor: (index: number) => string,
  { concurrency = 16, headers = {} }: { concurrency?: number; headers?: Record<string, string> } = {},
): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      const status = await fetch(urlFor(index), { headers }).then(
        async (response) => {
          await response.arrayBuffer();
          return String(response.status);
        },
        () => 'error',
      );
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}
