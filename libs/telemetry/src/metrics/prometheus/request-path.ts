/**
 * Whether a request target (`/metrics`, `/metrics?name[]=up`) is for `path`, whatever its query. Without
 * allocating: every request the HTTP server instrumentation sees goes through it.
 */
export function isRequestFor(target: string | undefined, path: string): boolean {
  if (!target?.startsWith(path)) return false;
  return target.length === path.length || target.charCodeAt(path.length) === 63; /* ? */
}
