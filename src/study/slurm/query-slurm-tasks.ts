import { parseSqueueTasks, SQUEUE_FORMAT, type SlurmTaskState } from "./parse-squeue";
import { runSlurmCommand } from "./slurm-command";

export interface SlurmTaskQuery {
  /** Array task ids ("12_3") by id, for the tasks Slurm still knows. */
  tasks: Map<string, SlurmTaskState>;
  /** Jobs Slurm could not be asked about (slurmctld unreachable...), with its error text; their tasks are unknown, not gone. */
  errors: string[];
}

/**
 * What Slurm says of these array tasks: `squeue --states=all` per array job (pending, running and recently ended
 * tasks, kept for the cluster's MinJobAge), then, for tasks squeue no longer knows, `sacct` where accounting is
 * configured. A task in neither has left Slurm's memory; the run store then says how it ended.
 *
 * @example querySlurmTasks(["12_0", "12_1"]).tasks.get("12_0")?.state // "RUNNING"
 */
export function querySlurmTasks(taskIds: string[], env: NodeJS.ProcessEnv = process.env): SlurmTaskQuery {
  const tasks = new Map<string, SlurmTaskState>();
  const errors: string[] = [];
  for (const jobId of [...new Set(taskIds.map((taskId) => taskId.split("_")[0]!))]) {
    const queue = runSlurmCommand("squeue", ["--array", "--noheader", "--states=all", `--jobs=${jobId}`, `--format=${SQUEUE_FORMAT}`], { env });
    const queued = queue.status === 0 ? parseSqueueTasks(queue.stdout) : [];
    const unknownJob = queue.status !== 0 && /invalid job id/i.test(queue.stderr);
    if (queue.status !== 0 && !unknownJob) {
      errors.push(`squeue --jobs=${jobId}: ${queue.stderr.trim() || `exit status ${queue.status}`}`);
      continue;
    }
    for (const task of queued) tasks.set(task.taskId, task);
    if (taskIds.every((taskId) => !taskId.startsWith(`${jobId}_`) || tasks.has(taskId))) continue;
    const accounting = runSlurmCommand("sacct", ["--noheader", "--parsable2", "--allocations", `--jobs=${jobId}`, "--format=JobID,State,ExitCode"], { env });
    if (accounting.status === 0) for (const task of parseSqueueTasks(accounting.stdout)) tasks.set(task.taskId, task);
  }
  return { tasks, errors };
}
