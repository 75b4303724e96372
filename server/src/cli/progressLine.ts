// The `checked 120/1726 files` line on a terminal's stderr for long runs; silent when stderr is piped.

/** Runs shorter than this never draw a progress line; redraws are at most this often after that. */
const FIRST_DRAW_AFTER_MS = 300;
const REDRAW_EVERY_MS = 100;

export class ProgressLine {
  private readonly startedAt = Date.now();
  private lastDrawAt = 0;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly total: number,
    private readonly enabled: boolean,
  ) {}

  static forStderr(total: number, wanted: boolean): ProgressLine {
    return new ProgressLine(process.stderr, total, wanted && process.stderr.isTTY === true);
  }

  update(done: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.startedAt < FIRST_DRAW_AFTER_MS || now - this.lastDrawAt < REDRAW_EVERY_MS) return;
    this.lastDrawAt = now;
    this.drawn = true;
    this.stream.write(`\r\x1b[Kchecked ${done}/${this.total} files`);
  }

  /** Erases the line so the report starts on a clean line. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
