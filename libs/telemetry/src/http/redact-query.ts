/** What a query-string value becomes in telemetry (the HTTP instrumentation's word for it). */
export const REDACTED = 'REDACTED';

/**
 * A query string with every value replaced: `token=abc&page=2&debug` → `token=REDACTED&page=REDACTED&debug`.
 * Keys stay, because they say what kind of request it was; values never, because any of them can be
 * a credential (`?token=`, `?api_key=`, a signed URL). Worked on the raw text, so nothing is decoded.
 */
export function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals === -1 ? pair : `${pair.slice(0, equals)}=${REDACTED}`;
    })
    .join('&');
}

/** A URL with its query values redacted (see `redactQuery`) and its fragment left out. */
export function redactUrl(url: string): string {
  const [withoutFragment] = url.split('#', 1);
  const questionMark = withoutFragment.indexOf('?');
  if (questionMark === -1) return withoutFragment;
  return `${withoutFragment.slice(0, questionMark)}?${redactQuery(withoutFragment.slice(questionMark + 1))}`;
}
