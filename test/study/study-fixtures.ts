/** Helpers shared by the study tests: a throw-away store folder and a tiny smoke config. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultStudyConfig } from "../../src/study/default-study-config";
import type { StudyConfig } from "../../src/study/study-config";

/** The tests' own worker kind (a real, tiny computation; see tiny-worker.ts). */
export const TINY_WORKER = path.join(__dirname, "tiny-worker.ts");

/** A fresh temporary folder, removed when the process exits. */
export function temporaryFolder(prefix: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  process.on("exit", () => fs.rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** The smoke config (4 presets × 3 objectives × 1 budget × 1 seed = 12 runs), with `overrides` laid over it. */
export function smokeConfig(overrides: Partial<StudyConfig> = {}): StudyConfig {
  return { ...defaultStudyConfig("smoke"), ...overrides };
}

/** Lines of the tiny worker's trace: "start <runId> <pid> <ms>" and "end <runId> <pid> <startMs> <endMs>". */
export function readTrace(traceDir: string): { kind: string; runId: string; pid: number; startMs: number; endMs?: number }[] {
  const file = path.join(traceDir, "trace.txt");
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const [kind, runId, pid, startMs, endMs] = line.split(" ");
      return { kind: kind!, runId: runId!, pid: Number(pid), startMs: Number(startMs), endMs: endMs ? Number(endMs) : undefined };
    });
}

/** Process ids whose command line names a run directory under `out` (Linux /proc). */
export function workersWritingInto(out: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(out + path.sep)) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

