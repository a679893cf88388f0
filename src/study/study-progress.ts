/** Progress of a whole study, as the runner reports it and `study status` prints it. */
export interface StudyProgress {
  studyName: string;
  /** Runs in the grid. */
  total: number;
  /** Complete runs, found in the store or finished now. */
  done: number;
  /** Of `done`, runs found complete at start and not redone. */
  reused: number;
  running: number;
  failed: number;
  /** Queued, not started. */
  pending: number;
  /** Stopped on request (Ctrl-C): incomplete, re-run by the next study command. */
  cancelled: number;
  elapsedSeconds: number;
  /** Seconds until the last run should finish, from the estimated cost of what is left and the rate so far; null before the first run finishes. */
  etaSeconds: number | null;
  runningRunIds: string[];
  failedRunIds: string[];
  /** Process id of the runner, so that `study status` can tell whether it is still alive. */
  runnerPid: number;
  updatedAt: string;
}

/**
 * One line for a terminal: `study smoke: 7/12 done (2 reused), 2 running, 1 failed, 2 pending, 1m05s elapsed, eta 40s`.
 * @example formatProgress(progress)
 */
export function formatProgress(progress: StudyProgress): string {
  const eta = progress.etaSeconds === null ? "eta unknown" : `eta ${formatSeconds(progress.etaSeconds)}`;
  return (
    `study ${progress.studyName}: ${progress.done}/${progress.total} done` +
    (progress.reused ? ` (${progress.reused} reused)` : "") +
    `, ${progress.running} running, ${progress.failed} failed, ${progress.pending} pending, ` +
    (progress.cancelled ? `${progress.cancelled} cancelled, ` : "") +
    `${formatSeconds(progress.elapsedSeconds)} elapsed, ${eta}`
  );
}

/** `3725` → `"1h02m05s"`, `65` → `"1m05s"`, `4.2` → `"4s"`. */
export function formatSeconds(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  const pad = (value: number): string => String(value).padStart(2, "0");
  if (hours > 0) return `${hours}h${pad(minutes)}m${pad(rest)}s`;
  if (minutes > 0) return `${minutes}m${pad(rest)}s`;
  return `${rest}s`;
}
