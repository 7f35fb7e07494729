/** The series lines of a Prometheus text exposition: everything but comments and blank lines. */
export function seriesLines(exposition: string): string[] {
  return exposition.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

/** Each series of an exposition without its value: `name{labels}`, the identity Prometheus stores it under. */
export function seriesIdentities(exposition: string): string[] {
  return seriesLines(exposition).map((line) => line.slice(0, line.lastIndexOf(' ')));
}

/** The sum of every sample of `metric` whose labels include `labels` (all of them when none are given). */
export function sumOf(exposition: string, metric: string, labels = ''): number {
  return seriesLines(exposition)
    .filter((line) => line.startsWith(`${metric}{`) && line.includes(labels))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
