import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** One named float32 tensor in a checkpoint (model weight or optimizer moment). */
export interface CheckpointTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** What a checkpoint holds: tensors by group, plus JSON state (config, step, RNG state, data position, ...). */
export interface Checkpoint<State = Record<string, unknown>> {
  /** Optimizer steps completed when the checkpoint was written. */
  step: number;
  /** Tensor groups, e.g. `weights`, `adam.m`, `adam.v`; each list keeps its order. */
  tensors: Record<string, CheckpointTensor[]>;
  state: State;
}

/** Thrown by {@link readCheckpoint} for a file that is truncated, altered or not a checkpoint. */
export class CorruptCheckpointError extends Error {
  constructor(readonly filePath: string, reason: string) {
    super(`readCheckpoint: ${filePath} is not a complete checkpoint (${reason}). Delete it; training resumes from the previous one.`);
    this.name = "CorruptCheckpointError";
  }
}

/** Magic bytes at the start of every checkpoint file ("RRSCKPT" + format version 1). */
const CHECKPOINT_MAGIC = Buffer.from("RRSCKPT1", "latin1");
const HEADER_LENGTH_BYTES = 4;
const CHECKPOINT_FILE_PATTERN = /^step-(\d+)\.ckpt$/;

interface CheckpointHeader {
  step: number;
  payloadBytes: number;
  payloadSha256: string;
  tensors: Array<{ group: string; name: string; shape: number[]; byteOffset: number; byteLength: number }>;
  state: unknown;
}

/** File name of the checkpoint at `step`: `step-00000250.ckpt` (zero-padded so names sort by step). */
export function checkpointFileName(step: number): string {
  return `step-${String(step).padStart(8, "0")}.ckpt`;
}

/**
 * Writes a checkpoint into one file, atomically: the bytes go to a temporary file in the same folder, are
 * flushed (fsync), and the file is renamed into place, so a reader (or a resumed run after `kill -9`) sees either
 * no checkpoint or a complete one. The file is `RRSCKPT1`, a 4-byte little-endian header length, a JSON header
 * (step, state, tensor table, sha256 of the payload), then the float32 payload; {@link readCheckpoint} checks all
 * of it. Returns the file's path.
 *
 * @example writeCheckpoint("runs/x/checkpoints", { step: 250, tensors: { weights }, state: { config } })
 */
export function writeCheckpoint(
  folder: string,
  checkpoint: Checkpoint<unknown>,
  options: { /** Default `step-<step>.ckpt`; e.g. `best.ckpt` for the dev-selected weights. */ fileName?: string } = {},
): string {
  const chunks: Buffer[] = [];
  const table: CheckpointHeader["tensors"] = [];
  let byteOffset = 0;
  for (const [group, tensors] of Object.entries(checkpoint.tensors)) {
    for (const tensor of tensors) {
      const expectedSize = tensor.shape.reduce((product, dimension) => product * dimension, 1);
      if (tensor.values.length !== expectedSize) {
        throw new Error(
          `writeCheckpoint: tensor ${group}/${tensor.name} has ${tensor.values.length} values for shape [${tensor.shape}].`,
        );
      }
      const bytes = Buffer.from(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength);
      chunks.push(bytes);
      table.push({ group, name: tensor.name, shape: tensor.shape, byteOffset, byteLength: bytes.length });
      byteOffset += bytes.length;
    }
  }
  const payload = Buffer.concat(chunks);
  const header: CheckpointHeader = {
    step: checkpoint.step,
    payloadBytes: payload.length,
    payloadSha256: crypto.createHash("sha256").update(payload).digest("hex"),
    tensors: table,
    state: checkpoint.state,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  const headerLength = Buffer.alloc(HEADER_LENGTH_BYTES);
  headerLength.writeUInt32LE(headerBytes.length);

  const target = path.join(folder, options.fileName ?? checkpointFileName(checkpoint.step));
  writePartsAtomic(target, [CHECKPOINT_MAGIC, headerLength, headerBytes, payload]);
  return target;
}

/**
 * Reads and verifies a checkpoint written by {@link writeCheckpoint}: magic bytes, header, payload length and
 * sha256 must all agree, otherwise it throws {@link CorruptCheckpointError} — a half-written or altered file is
 * never used.
 */
export function readCheckpoint<State = Record<string, unknown>>(filePath: string): Checkpoint<State> & { filePath: string } {
  const bytes = fs.readFileSync(filePath);
  const fail = (reason: string) => new CorruptCheckpointError(filePath, reason);
  const prefixBytes = CHECKPOINT_MAGIC.length + HEADER_LENGTH_BYTES;
  if (bytes.length < prefixBytes || !bytes.subarray(0, CHECKPOINT_MAGIC.length).equals(CHECKPOINT_MAGIC)) {
    throw fail("missing the RRSCKPT1 magic bytes");
  }
  const headerLength = bytes.readUInt32LE(CHECKPOINT_MAGIC.length);
  if (prefixBytes + headerLength > bytes.length) throw fail("header cut short");
  let header: CheckpointHeader;
  try {
    header = JSON.parse(bytes.subarray(prefixBytes, prefixBytes + headerLength).toString("utf8")) as CheckpointHeader;
  } catch {
    throw fail("header is not valid JSON");
  }
  const payload = bytes.subarray(prefixBytes + headerLength);
  if (payload.length !== header.payloadBytes) {
    throw fail(`payload has ${payload.length} bytes, header says ${header.payloadBytes}`);
  }
  if (crypto.createHash("sha256").update(payload).digest("hex") !== header.payloadSha256) {
    throw fail("payload sha256 does not match the header");
  }
  const tensors: Record<string, CheckpointTensor[]> = {};
  for (const entry of header.tensors) {
    const copy = new Uint8Array(entry.byteLength);
    copy.set(payload.subarray(entry.byteOffset, entry.byteOffset + entry.byteLength));
    (tensors[entry.group] ??= []).push({ name: entry.name, shape: entry.shape, values: new Float32Array(copy.buffer) });
  }
  return { step: header.step, tensors, state: header.state as State, filePath };
}

/** Checkpoint files in `folder` as `{ step, filePath }`, newest (highest step) first. Missing folder: none. */
export function listCheckpoints(folder: string): Array<{ step: number; filePath: string }> {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .map((name) => ({ name, match: CHECKPOINT_FILE_PATTERN.exec(name) }))
    .filter((entry) => entry.match !== null)
    .map((entry) => ({ step: Number(entry.match![1]), filePath: path.join(folder, entry.name) }))
    .sort((a, b) => b.step - a.step);
}

/**
 * The newest checkpoint in `folder` that verifies, or undefined when there is none. Files that fail verification
 * are skipped and reported through `onCorrupt` (default: a warning on stderr), never used.
 */
export function latestCheckpoint<State = Record<string, unknown>>(
  folder: string,
  onCorrupt: (error: CorruptCheckpointError) => void = (error) => console.warn(error.message),
): (Checkpoint<State> & { filePath: string }) | undefined {
  for (const { filePath } of listCheckpoints(folder)) {
    try {
      return readCheckpoint<State>(filePath);
    } catch (error) {
      if (!(error instanceof CorruptCheckpointError)) throw error;
      onCorrupt(error);
    }
  }
  return undefined;
}

/** Deletes all but the `keep` newest checkpoint files (and stale temporary files) in `folder`. */
export function pruneCheckpoints(folder: string, keep: number): void {
  for (const { filePath } of listCheckpoints(folder).slice(Math.max(keep, 1))) fs.rmSync(filePath, { force: true });
  for (const name of fs.readdirSync(folder)) {
    if (name.startsWith(".step-") && name.endsWith(".tmp") && !name.includes(`.${process.pid}.`)) {
      fs.rmSync(path.join(folder, name), { force: true });
    }
  }
}

/**
 * Writes `parts` one after the other into `target` atomically: temporary file in the same folder, fsync, rename
 * over the target (POSIX rename(2) is atomic within a file system), then fsync of the folder. Creates the folder.
 */
export function writePartsAtomic(target: string, parts: readonly Uint8Array[]): void {
  const folder = path.dirname(target);
  fs.mkdirSync(folder, { recursive: true });
  const temporary = path.join(folder, `.${path.basename(target)}.${process.pid}.tmp`);
  const descriptor = fs.openSync(temporary, "w");
  try {
    for (const part of parts) fs.writeSync(descriptor, part);
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
  fs.renameSync(temporary, target);
  syncFolder(folder);
}

/** fsync of a folder, so that a rename inside it survives a power cut (ignored where the OS does not allow it). */
function syncFolder(folder: string): void {
  try {
    const descriptor = fs.openSync(folder, "r");
    try {
      fs.fsyncSync(descriptor);
    } finally {
      fs.closeSync(descriptor);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  }
}
