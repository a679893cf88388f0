import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The Slurm client commands the executor shells out to (no REST API). */
export type SlurmCommandName = "sbatch" | "squeue" | "sacct" | "scancel" | "scontrol" | "sinfo";

export interface SlurmCommandResult {
  command: string;
  args: string[];
  /** Exit status; null when the command could not start or was killed by the timeout. */
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Seconds a Slurm client command may take before it is abandoned (slurmctld busy or unreachable). */
const SLURM_COMMAND_TIMEOUT_SECONDS = 60;

/**
 * Runs one Slurm client command (`sbatch`, `squeue`, ...) with `env` (default `process.env`, so `SLURM_CONF`
 * reaches it) and returns its output; never throws. See `slurmCommandError` for the message when it fails.
 *
 * @example runSlurmCommand("squeue", ["--noheader", "--jobs=12"]).stdout // "12_0|RUNNING|None\n"
 */
export function runSlurmCommand(
  command: SlurmCommandName,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): SlurmCommandResult {
  const result = spawnSync(command, args, {
    env: options.env ?? process.env,
    input: options.input,
    encoding: "utf8",
    timeout: SLURM_COMMAND_TIMEOUT_SECONDS * 1000,
  });
  const stderr = result.error ? `${result.stderr ?? ""}${result.error.message}` : (result.stderr ?? "");
  return { command, args, status: result.status, stdout: result.stdout ?? "", stderr };
}

/**
 * The error for a failed Slurm command, quoting Slurm's own text (its stderr), e.g.
 * `sbatch --parsable job.sbatch failed (exit status 1): sbatch: error: invalid partition specified: nope`.
 */
export function slurmCommandError(result: SlurmCommandResult, what: string): Error {
  const said = (result.stderr.trim() || result.stdout.trim() || "no output").replace(/\n+/g, " / ");
  const status = result.status === null ? "did not finish" : `exit status ${result.status}`;
  return new Error(`${what}: ${result.command} ${result.args.join(" ")} failed (${status}): ${said}`);
}

/** The absolute path of `command` on `env.PATH`, or undefined when it is not there. */
export function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const folder of (env.PATH ?? "").split(path.delimiter)) {
    if (!folder) continue;
    const candidate = path.join(folder, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
