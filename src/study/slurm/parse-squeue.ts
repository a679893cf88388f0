/** One array task as Slurm reports it. */
export interface SlurmTaskState {
  /** `<arrayJobId>_<taskIndex>`, e.g. "12_3". */
  taskId: string;
  /** Slurm's job state: PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, ... */
  state: string;
  /** Why it waits or ended ("Resources", "JobArrayTaskLimit", "None"), or the exit code from sacct ("0:0"). */
  detail: string;
}

/** The squeue format that `parseSqueueTasks` reads: task id, state, reason. */
export const SQUEUE_FORMAT = "%i|%T|%r";

/**
 * Parses `squeue --array --noheader --format='%i|%T|%r'` (or `sacct -n -P -X --format=JobID,State,ExitCode`)
 * into one entry per array task. Task ranges that Slurm has not split yet (`12_[4-7,9%2]`) are expanded; a
 * state with a suffix (sacct's "CANCELLED by 0") keeps its first word; lines of other jobs are skipped.
 *
 * Reference: squeue(1) "%i" ("<jobid>_<index>" for array tasks), sacct(1) --parsable2.
 * @example parseSqueueTasks("12_[2-3%2]|PENDING|JobArrayTaskLimit\n12_0|RUNNING|None\n").map((t) => t.taskId) // ["12_2", "12_3", "12_0"]
 */
export function parseSqueueTasks(output: string): SlurmTaskState[] {
  const tasks: SlurmTaskState[] = [];
  for (const line of output.split("\n")) {
    const [id, stateField, detail = ""] = line.trim().split("|");
    if (!id || !stateField) continue;
    const state = stateField.trim().split(/\s+/)[0]!;
    const match = /^([0-9]+)_(?:([0-9]+)|\[([0-9,\-]+)(?:%[0-9]+)?\])$/.exec(id.trim());
    if (!match) continue;
    const [, jobId, single, ranges] = match;
    for (const index of single !== undefined ? [Number(single)] : expandRanges(ranges!)) {
      tasks.push({ taskId: `${jobId}_${index}`, state, detail: detail.trim() });
    }
  }
  return tasks;
}

/** "0-2,5" → [0, 1, 2, 5]. */
function expandRanges(ranges: string): number[] {
  const indexes: number[] = [];
  for (const part of ranges.split(",")) {
    const [first, last] = part.split("-").map(Number);
    for (let index = first!; index <= (last ?? first!); index++) indexes.push(index);
  }
  return indexes;
}

/** Job states in which a task waits to start (REQUEUED: Slurm put it back after preemption or node failure). */
export const WAITING_STATES = new Set(["PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD", "SPECIAL_EXIT"]);
/** Job states in which a task's worker is alive. */
export const ACTIVE_STATES = new Set(["RUNNING", "COMPLETING", "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT", "RESIZING"]);
