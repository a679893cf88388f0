import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Writes `content` to `filePath` so that a reader sees either the old file or the whole new one, never a part:
 * the bytes go to a temporary file in the same folder, are flushed to disk (fsync), and the temporary file is
 * renamed over the target (rename is atomic within one file system, POSIX rename(2)). Creates the folder.
 *
 * @example writeFileAtomic("runs/x/config.json", "{}\n")
 */
export function writeFileAtomic(filePath: string, content: string | Uint8Array): void {
  const folder = path.dirname(filePath);
  fs.mkdirSync(folder, { recursive: true });
  const temporary = path.join(folder, `.${path.basename(filePath)}.${process.pid}.${Date.now()}.tmp`);
  const descriptor = fs.openSync(temporary, "w");
  try {
    fs.writeSync(descriptor, typeof content === "string" ? Buffer.from(content, "utf8") : content);
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
  fs.renameSync(temporary, filePath);
}

/** `writeFileAtomic` of pretty-printed JSON with a final newline. */
export function writeJsonAtomic(filePath: string, value: unknown): void {
  writeFileAtomic(filePath, JSON.stringify(value, null, 2) + "\n");
}
