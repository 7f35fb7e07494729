/**
 * A warning about something that can happen thousands of times a second (spans lost while the
 * collector is down), written at most once per interval: the first occurrence is written at once;
 * later ones are summed by the caller and written when the interval ends, in one line.
 */
export class ThrottledWarning {
  private timer: NodeJS.Timeout | undefined;
  private pending = false;
  private closed = false;

  /** `write` composes and writes the line from what the caller has accumulated since it last ran. */
  constructor(
    private readonly write: () => void,
    private readonly intervalMs: number,
  ) {}

  /** Something worth the warning happened: written now if the last line is an interval old, else when it is. */
  notify(): void {
    if (this.closed) return;
    this.pending = true;
    if (this.timer === undefined) this.writePending();
  }

  /** Writes what is pending at once and stops: the last word at shutdown. */
  close(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending) this.write();
    this.pending = false;
    this.closed = true;
  }

  private writePending(): void {
    this.timer = undefined;
    if (!this.pending) return;
    this.pending = false;
    this.write();
    // A warning must not keep a finished process alive.
    this.timer = setTimeout(() => this.writePending(), this.intervalMs).unref();
  }
}
