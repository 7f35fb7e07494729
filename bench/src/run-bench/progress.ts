const started = Date.now();

/** One line of progress on stdout, stamped with the seconds since the bench started. */
export function progress(message: string): void {
  console.log(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}`);
}
