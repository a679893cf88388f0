import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeJsonAtomic } from "./atomic-write";
import { RUN_FILES } from "./run-result";

/** The completion marker of a run: written last, it lists every result file with its size and sha256. */
export interface CompletionMarker {
  runId: string;
  finishedAt: string;
  wallSeconds: number;
  files: Record<string, { bytes: number; sha256: string }>;
}

/** Paths (relative, "/"-separated) that the marker does not cover: itself, the live log and the pid file. */
const UNCOVERED = new Set<string>([RUN_FILES.complete, RUN_FILES.workerPid]);
const UNCOVERED_FOLDERS = [RUN_FILES.logs + "/"];

/**
 * Writes `complete.json` into a run directory: the checksum of every file under it (logs excepted), written
 * atomically as the run's very last act. A run without it is incomplete; a run whose files disagree with it is
 * corrupt (`verifyCompletionMarker`).
 *
 * @example writeCompletionMarker("runs/smoke/xs-listwise-1024p-seed1-3f9a0c1d2e", "xs-listwise-…", 12.5)
 */
export function writeCompletionMarker(runDir: string, runId: string, wallSeconds: number): CompletionMarker {
  const files: CompletionMarker["files"] = {};
  for (const relative of coveredFiles(runDir)) files[relative] = fileChecksum(path.join(runDir, relative));
  const marker: CompletionMarker = { runId, finishedAt: new Date().toISOString(), wallSeconds, files };
  writeJsonAtomic(path.join(runDir, RUN_FILES.complete), marker);
  return marker;
}

/**
 * Checks a run directory against its completion marker. Returns undefined when it is whole, else the reason:
 * no marker, an unreadable marker, another run's marker, a listed file missing or changed, a result file not
 * listed (written after the marker). With `only`, checks just those files (a cheap check before reading them).
 */
export function verifyCompletionMarker(
  runDir: string,
  runId: string,
  options: { only?: readonly string[] } = {},
): string | undefined {
  const markerFile = path.join(runDir, RUN_FILES.complete);
  if (!fs.existsSync(markerFile)) return "no completion marker";
  let marker: CompletionMarker;
  try {
    marker = JSON.parse(fs.readFileSync(markerFile, "utf8")) as CompletionMarker;
  } catch {
    return `${RUN_FILES.complete} is not valid JSON`;
  }
  if (marker.runId !== runId) return `${RUN_FILES.complete} belongs to run ${JSON.stringify(marker.runId)}`;
  if (!marker.files || typeof marker.files !== "object") return `${RUN_FILES.complete} lists no files`;
  if (options.only) {
    for (const relative of options.only) if (!(relative in marker.files)) return `${relative} is not listed in ${RUN_FILES.complete}`;
  }
  for (const [relative, expected] of Object.entries(marker.files)) {
    if (options.only && !options.only.includes(relative)) continue;
    const file = path.join(runDir, relative);
    if (!fs.existsSync(file)) return `${relative} is missing`;
    const actual = fileChecksum(file);
    if (actual.bytes !== expected.bytes) return `${relative} has ${actual.bytes} bytes, the marker says ${expected.bytes}`;
    if (actual.sha256 !== expected.sha256) return `${relative} does not match its checksum`;
  }
  if (options.only) return undefined;
  for (const relative of coveredFiles(runDir)) {
    if (!(relative in marker.files)) return `${relative} is not listed in ${RUN_FILES.complete}`;
  }
  return undefined;
}

function coveredFiles(runDir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string, prefix: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const relative = prefix + entry.name;
      if (entry.isDirectory()) walk(path.join(folder, entry.name), relative + "/");
      else if (entry.isFile() && !UNCOVERED.has(relative) && !UNCOVERED_FOLDERS.some((f) => relative.startsWith(f))) {
        if (!/^\..*\.tmp$/.test(entry.name)) found.push(relative);
      }
    }
  };
  walk(runDir, "");
  return found.sort();
}

function fileChecksum(file: string): { bytes: number; sha256: string } {
  const content = fs.readFileSync(file);
  return { bytes: content.length, sha256: createHash("sha256").update(content).digest("hex") };
}
