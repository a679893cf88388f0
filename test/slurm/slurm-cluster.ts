/**
 * A real single-node Slurm cluster for the tests, from Debian's packages (`slurm-wlm`: slurmctld + slurmd,
 * `munge`), everything on loopback and in one temporary folder: a fresh munge key and socket, a minimal
 * slurm.conf (no cgroups: proctrack/linuxproc, task/none; no accounting; root as SlurmUser, as the tests run as
 * root), free TCP ports. `startSlurmCluster` returns the environment (SLURM_CONF) for the client commands;
 * `stop` cancels every job, waits for the queue to empty, shuts the daemons down and removes the folder, so no
 * daemon is left running. It is also registered for process exit, in case a test dies first.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { findOnPath } from "../../src/study/slurm/slurm-command";

export interface SlurmCluster {
  /** Environment for sbatch/squeue/scancel: process.env plus SLURM_CONF. */
  env: NodeJS.ProcessEnv;
  folder: string;
  partition: string;
  nodeName: string;
  /** The daemons' logs, for a failing test's message. */
  logs(): string;
  stop(): void;
}

/** Why a real cluster cannot be started here (a missing program), or undefined when it can be tried. */
export function slurmUnavailableReason(): string | undefined {
  for (const program of ["slurmctld", "slurmd", "munged", "sbatch", "squeue", "scancel", "scontrol", "sinfo"]) {
    if (!fs.existsSync(daemonPath(program))) return `${program} is not installed (Debian: apt-get install slurm-wlm munge; kernel-config/setup.sh installs them)`;
  }
  if (process.getuid?.() !== 0) return "the test cluster runs its daemons as root (SlurmUser=root); run the tests as root";
  return undefined;
}

/** A daemon's program: on PATH, else in /usr/sbin (Debian's place, often not on a user's PATH). */
function daemonPath(name: string): string {
  return findOnPath(name) ?? path.join("/usr/sbin", name);
}

/** Seconds the daemons get to come up, or to go down. */
const DAEMON_WAIT_SECONDS = 30;
const PARTITION = "debug";

function sleepMs(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** True while the process exists and is not a zombie (a daemon's exited process not yet reaped by its parent). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

function pidFrom(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { env, encoding: "utf8", timeout: 30_000 });
  return { status: result.status, stdout: result.stdout ?? "", stderr: `${result.stderr ?? ""}${result.error?.message ?? ""}` };
}

/** Starts munged, slurmctld and slurmd in a fresh temporary folder and waits until the node is idle. */
export async function startSlurmCluster(): Promise<SlurmCluster> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "slurm-test-"));
  for (const sub of ["munge", "state", "spool", "log"]) fs.mkdirSync(path.join(folder, sub), { mode: 0o700 });
  const nodeName = os.hostname().split(".")[0]!;
  const [controllerPort, nodePort] = [await freePort(), await freePort()];
  const mungeSocket = path.join(folder, "munge", "munge.socket");
  const mungeKey = path.join(folder, "munge", "munge.key");
  fs.writeFileSync(mungeKey, Buffer.from(Array.from({ length: 128 }, () => Math.floor(Math.random() * 256))), { mode: 0o600 });
  const cpus = os.cpus().length;
  const memoryMiB = Math.floor(os.totalmem() / 2 ** 20 / 2);
  const conf = [
    "ClusterName=rerank-test",
    `SlurmctldHost=${nodeName}(127.0.0.1)`,
    "SlurmUser=root",
    "SlurmdUser=root",
    `SlurmctldPort=${controllerPort}`,
    `SlurmdPort=${nodePort}`,
    "AuthType=auth/munge",
    "CredType=cred/munge",
    `AuthInfo=socket=${mungeSocket}`,
    `StateSaveLocation=${folder}/state`,
    `SlurmdSpoolDir=${folder}/spool`,
    `SlurmctldPidFile=${folder}/slurmctld.pid`,
    `SlurmdPidFile=${folder}/slurmd.pid`,
    `SlurmctldLogFile=${folder}/log/slurmctld.log`,
    `SlurmdLogFile=${folder}/log/slurmd.log`,
    // No cgroups in a container: track processes by parent id, no task binding.
    "ProctrackType=proctrack/linuxproc",
    "TaskPlugin=task/none",
    "JobAcctGatherType=jobacct_gather/none",
    "AccountingStorageType=accounting_storage/none",
    "JobCompType=jobcomp/none",
    "MpiDefault=none",
    "SchedulerType=sched/backfill",
    "SelectType=select/cons_tres",
    "SelectTypeParameters=CR_Core",
    "ReturnToService=2",
    // Ended tasks stay visible to squeue --states=all for 10 minutes (there is no accounting for sacct).
    "MinJobAge=600",
    "KillWait=5",
    "SlurmctldDebug=info",
    "SlurmdDebug=info",
    `NodeName=${nodeName} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${memoryMiB} State=UNKNOWN`,
    `PartitionName=${PARTITION} Nodes=${nodeName} Default=YES MaxTime=INFINITE State=UP`,
    "",
  ].join("\n");
  const confFile = path.join(folder, "slurm.conf");
  fs.writeFileSync(confFile, conf);
  const env: NodeJS.ProcessEnv = { ...process.env, SLURM_CONF: confFile };
  delete env.SLURM_JOB_ID;

  const cluster: SlurmCluster = {
    env,
    folder,
    partition: PARTITION,
    nodeName,
    logs: () =>
      ["log/slurmctld.log", "log/slurmd.log", "munge/munged.log"]
        .map((file) => path.join(folder, file))
        .filter((file) => fs.existsSync(file))
        .map((file) => `== ${file}\n${fs.readFileSync(file, "utf8").split("\n").slice(-30).join("\n")}`)
        .join("\n"),
    stop: () => stopCluster(folder, env),
  };
  const onExit = (): void => cluster.stop();
  process.once("exit", onExit);

  const started = [
    run(daemonPath("munged"), ["--force", `--socket=${mungeSocket}`, `--key-file=${mungeKey}`, `--pid-file=${folder}/munge/munged.pid`, `--log-file=${folder}/munge/munged.log`, `--seed-file=${folder}/munge/munged.seed`], env),
    run(daemonPath("slurmctld"), [], env),
    run(daemonPath("slurmd"), ["-N", nodeName], env),
  ];
  for (const result of started) {
    if (result.status !== 0) {
      const logs = cluster.logs();
      cluster.stop();
      throw new Error(`startSlurmCluster: a daemon did not start (exit ${result.status}): ${result.stderr.trim()}\n${logs}`);
    }
  }
  const deadline = Date.now() + DAEMON_WAIT_SECONDS * 1000;
  let state = "";
  while (Date.now() < deadline) {
    state = run("sinfo", ["--noheader", "--nodes", nodeName, "--format=%T"], env).stdout.trim();
    if (state === "idle") return cluster;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const logs = cluster.logs();
  cluster.stop();
  throw new Error(`startSlurmCluster: node ${nodeName} is "${state}", not idle, after ${DAEMON_WAIT_SECONDS} s\n${logs}`);
}

/** Cancels every job, waits for the queue to empty, stops slurmctld, slurmd and munged (by their pid files), removes the folder. */
function stopCluster(folder: string, env: NodeJS.ProcessEnv): void {
  if (!fs.existsSync(folder)) return;
  const controller = pidFrom(path.join(folder, "slurmctld.pid"));
  if (controller !== undefined && processAlive(controller)) {
    const jobs = run("squeue", ["--noheader", "--format=%A"], env).stdout.split("\n").map((line) => line.trim()).filter(Boolean);
    if (jobs.length > 0) run("scancel", jobs, env);
    const deadline = Date.now() + DAEMON_WAIT_SECONDS * 1000;
    while (Date.now() < deadline) {
      const left = run("squeue", ["--noheader", "--format=%A"], env);
      if (left.status !== 0 || left.stdout.trim() === "") break;
      sleepMs(250);
    }
    run("scontrol", ["shutdown"], env);
  }
  const pids = ["slurmctld.pid", "slurmd.pid", "munge/munged.pid"].map((file) => pidFrom(path.join(folder, file)));
  const deadline = Date.now() + DAEMON_WAIT_SECONDS * 1000;
  for (const pid of pids) {
    if (pid === undefined) continue;
    if (pid === pids[2]) process.kill(pid, "SIGTERM");
    while (processAlive(pid) && Date.now() < deadline) sleepMs(100);
    if (processAlive(pid)) process.kill(pid, "SIGKILL");
  }
  fs.rmSync(folder, { recursive: true, force: true });
}
