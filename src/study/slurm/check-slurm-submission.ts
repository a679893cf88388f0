import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findOnPath, runSlurmCommand, slurmCommandError, type SlurmCommandName } from "./slurm-command";

/** Filesystem types (as `stat -f -c %T` names them) that live on one machine: other nodes cannot see them. */
export const LOCAL_FILESYSTEM_TYPES = ["ext2/ext3", "ext4", "xfs", "btrfs", "tmpfs", "ramfs", "overlayfs", "zfs", "f2fs", "vfat", "msdos", "squashfs", "devtmpfs"];

/** The commands a study on Slurm needs on PATH. */
const REQUIRED_COMMANDS: SlurmCommandName[] = ["sbatch", "squeue", "scancel", "scontrol"];

export interface SlurmSubmissionCheck {
  /** The run store folder (need not exist yet). */
  storeRoot: string;
  /** The partition the tasks go to; undefined: the cluster's default. */
  partition?: string;
  /** The user says the store is on a filesystem every node mounts, whatever its type. */
  storeShared?: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * Checks, before anything is submitted, what would make every task of a Slurm study fail: the Slurm commands
 * are on PATH, the partition exists, and the run store is on a filesystem the partition's nodes can see
 * (a shared one, or a local one when this host is the partition's only node). Throws an error that says what
 * to fix; returns the partition's node names.
 *
 * @example checkSlurmSubmission({ storeRoot: "/shared/runs/smoke", partition: "gpu" }) // ["gpu01", "gpu02"]
 */
export function checkSlurmSubmission(check: SlurmSubmissionCheck): string[] {
  const env = check.env ?? process.env;
  for (const command of REQUIRED_COMMANDS) {
    if (!findOnPath(command, env)) {
      throw new Error(
        `study --executor slurm: no ${command} on PATH. Run the study on a Slurm login node, or add Slurm's bin ` +
          `folder to PATH (Debian/Ubuntu: apt-get install slurm-client); or use the local executor.`,
      );
    }
  }
  const nodeNames = partitionNodeNames(check.partition, env);
  if (!check.storeShared) {
    const problem = storeVisibilityProblem({
      storeRoot: path.resolve(check.storeRoot),
      filesystemType: filesystemTypeOf(check.storeRoot),
      nodeNames,
      thisHostNames: thisHostNames(),
    });
    if (problem) throw new Error(`study --executor slurm: ${problem}`);
  }
  return nodeNames;
}

/** The node names of a partition (or of the default partition), from `scontrol show partition`. */
function partitionNodeNames(partition: string | undefined, env: NodeJS.ProcessEnv): string[] {
  const shown = runSlurmCommand("scontrol", ["show", "partition", "--oneliner", ...(partition ? [partition] : [])], { env });
  if (shown.status !== 0) {
    const known = runSlurmCommand("sinfo", ["--noheader", "--format=%P"], { env });
    const names = known.status === 0 ? known.stdout.split("\n").map((name) => name.trim().replace(/\*$/, "")).filter(Boolean) : [];
    const hint = names.length > 0 ? ` Partitions here: ${names.join(", ")}.` : "";
    throw slurmCommandError(shown, `study --executor slurm: partition ${JSON.stringify(partition ?? "(default)")} is not usable.${hint} Fix --partition`);
  }
  const lines = shown.stdout.split("\n").filter((line) => line.includes("PartitionName="));
  const line = partition ? lines[0] : (lines.find((candidate) => /\bDefault=YES\b/.test(candidate)) ?? lines[0]);
  if (!line) {
    throw new Error(`study --executor slurm: Slurm lists no partition${partition ? ` named ${partition}` : ""}. Pass --partition with one that sinfo shows.`);
  }
  const nodes = /\bNodes=(\S+)/.exec(line)?.[1];
  if (!nodes || nodes === "(null)") return [];
  const expanded = runSlurmCommand("scontrol", ["show", "hostnames", nodes], { env });
  if (expanded.status !== 0) throw slurmCommandError(expanded, "study --executor slurm: cannot expand the partition's node list");
  return expanded.stdout.split("\n").map((name) => name.trim()).filter(Boolean);
}

/**
 * Why the partition's nodes could not see the run store, or undefined when they can: a store on a shared
 * filesystem (any type not in `LOCAL_FILESYSTEM_TYPES`) is fine, and so is a local one when every node of the
 * partition is this host.
 *
 * @example storeVisibilityProblem({ storeRoot: "/tmp/runs", filesystemType: "tmpfs", nodeNames: ["n01"], thisHostNames: ["login1"] }) // "the run store /tmp/runs is on tmpfs, ..."
 */
export function storeVisibilityProblem(facts: { storeRoot: string; filesystemType: string | undefined; nodeNames: string[]; thisHostNames: string[] }): string | undefined {
  if (facts.filesystemType === undefined || !LOCAL_FILESYSTEM_TYPES.includes(facts.filesystemType)) return undefined;
  const elsewhere = facts.nodeNames.filter((node) => !facts.thisHostNames.includes(node));
  if (elsewhere.length === 0) return undefined;
  return (
    `the run store ${facts.storeRoot} is on ${facts.filesystemType}, a filesystem local to this host, but the tasks ` +
    `run on ${elsewhere.slice(0, 3).join(", ")}${elsewhere.length > 3 ? ` and ${elsewhere.length - 3} more` : ""}, which cannot see it. ` +
    `Put --out on a filesystem every node mounts (NFS, Lustre, GPFS, BeeGFS, CephFS), or pass --store-shared if it is shared anyway.`
  );
}

/** `stat -f -c %T` of the store, or of its nearest existing parent (GNU coreutils); undefined when unknown. */
function filesystemTypeOf(target: string): string | undefined {
  let existing = path.resolve(target);
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  const result = spawnSync("stat", ["-f", "-c", "%T", existing], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** Names under which Slurm might list this host. */
function thisHostNames(): string[] {
  const hostname = os.hostname();
  return [hostname, hostname.split(".")[0]!, "localhost"];
}
