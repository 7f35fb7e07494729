/**
 * Histogram buckets in seconds, from 5 ms to 10 s: what the HTTP semantic conventions advise for
 * `http.server.request.duration`, fit for method calls too (`@Timed()`).
 */
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
