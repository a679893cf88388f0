/** Where a progress bar writes: `process.stderr` by default; anything with `write` (and optionally `isTTY`). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressBarOptions {
  /** Default `process.stderr`. */
  stream?: ProgressStream;
  /** Seconds between lines when the stream is not a terminal (a notebook, a log file). Default 10. */
  lineIntervalSeconds?: number;
  /** Seconds between redraws on a terminal. Default 0.2. */
  redrawIntervalSeconds?: number;
  /** Clock in seconds, replaceable in tests. Default `performance.now() / 1000`. */
  nowSeconds?: () => number;
  /** Label in front of the bar, e.g. the run name. */
  label?: string;
}

/** One update of a training progress bar. */
export interface ProgressUpdate {
  /** Optimizer steps completed. */
  step: number;
  /** Examples (query-passage pairs) scored per second, averaged since the bar started. */
  examplesPerSecond: number;
  /** Smoothed training loss. */
  loss: number;
}

const BAR_WIDTH_CHARACTERS = 24;

/**
 * A training progress bar: `step 250/3000 [=====>    ] 8.3% | 412 ex/s | loss 0.5321 | eta 5m12s`.
 * On a terminal (`stream.isTTY`) it redraws one line in place with `\r`; elsewhere (a Jupyter cell, where tslab
 * forwards stderr, or a log file) it prints a plain line every `lineIntervalSeconds`, so output stays readable.
 * `finish` prints the final state on its own line.
 *
 * Reference: the `\r` redraw convention of tqdm (`tqdm/std.py`, `status_printer`).
 * @example
 * const bar = new ProgressBar(3000);
 * bar.update({ step: 250, examplesPerSecond: 412, loss: 0.5321 });
 * bar.finish();
 */
export class ProgressBar {
  private readonly stream: ProgressStream;
  private readonly nowSeconds: () => number;
  private readonly intervalSeconds: number;
  private readonly label: string;
  private readonly startSeconds: number;
  private readonly startStep: number;
  private lastDrawSeconds = -Infinity;
  private lastUpdate: ProgressUpdate | undefined;

  constructor(readonly totalSteps: number, options: ProgressBarOptions & { startStep?: number } = {}) {
    this.stream = options.stream ?? process.stderr;
    this.nowSeconds = options.nowSeconds ?? (() => performance.now() / 1000);
    this.intervalSeconds = this.stream.isTTY
      ? (options.redrawIntervalSeconds ?? 0.2)
      : (options.lineIntervalSeconds ?? 10);
    this.label = options.label ? `${options.label} ` : "";
    this.startSeconds = this.nowSeconds();
    this.startStep = options.startStep ?? 0;
  }

  update(progress: ProgressUpdate): void {
    this.lastUpdate = progress;
    const now = this.nowSeconds();
    if (now - this.lastDrawSeconds < this.intervalSeconds) return;
    this.lastDrawSeconds = now;
    this.draw(progress, now, false);
  }

  /** Prints a message on its own line without breaking the bar (e.g. dev metrics at a checkpoint). */
  log(message: string): void {
    this.stream.write(this.stream.isTTY ? `\r\x1b[2K${message}\n` : `${message}\n`);
    if (this.stream.isTTY && this.lastUpdate) this.draw(this.lastUpdate, this.nowSeconds(), false);
  }

  finish(): void {
    if (this.lastUpdate) this.draw(this.lastUpdate, this.nowSeconds(), true);
  }

  /** The bar's text for a given state (no control characters). */
  format(progress: ProgressUpdate, elapsedSeconds: number): string {
    const fraction = this.totalSteps > 0 ? Math.min(1, progress.step / this.totalSteps) : 1;
    const filled = Math.round(fraction * BAR_WIDTH_CHARACTERS);
    const bar = "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? (fraction < 1 ? ">" : "=") : "");
    const stepsDone = progress.step - this.startStep;
    const secondsPerStep = stepsDone > 0 ? elapsedSeconds / stepsDone : NaN;
    const eta = formatDuration(secondsPerStep * (this.totalSteps - progress.step));
    return (
      `${this.label}step ${progress.step}/${this.totalSteps} [${bar.padEnd(BAR_WIDTH_CHARACTERS)}] ` +
      `${(fraction * 100).toFixed(1)}% | ${formatRate(progress.examplesPerSecond)} ex/s | ` +
      `loss ${Number.isFinite(progress.loss) ? progress.loss.toFixed(4) : String(progress.loss)} | eta ${eta}`
    );
  }

  private draw(progress: ProgressUpdate, now: number, final: boolean): void {
    const text = this.format(progress, now - this.startSeconds);
    if (this.stream.isTTY) {
      const width = this.stream.columns ?? 120;
      this.stream.write(`\r\x1b[2K${text.slice(0, Math.max(20, width - 1))}${final ? "\n" : ""}`);
    } else {
      this.stream.write(`${text}\n`);
    }
  }
}

/** `3725` → `1h02m05s`, `65` → `1m05s`, `4.2` → `4s`; `--` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--";
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, "0")}m${String(rest).padStart(2, "0")}s`;
  if (minutes > 0) return `${minutes}m${String(rest).padStart(2, "0")}s`;
  return `${rest}s`;
}

function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return "--";
  return perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}
