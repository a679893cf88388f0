import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { safeEntryPath } from "./safe-entry-path";

const BLOCK_BYTES = 512;

/**
 * Unpacks a (gzipped when the name ends in .gz/.tgz) ustar/GNU tar archive into `folder`. Regular files and
 * folders only: links and devices are refused, as are names that would land outside the folder. Every
 * header is checked before anything is written.
 *
 * Reference: POSIX.1-2001 `pax` ustar format; GNU tar manual, "Basic Tar Format".
 * @example untarToFolder(fs.readFileSync("cran.tar.gz"), "/tmp/cran", "cran.tar.gz")
 */
export function untarToFolder(archive: Buffer, folder: string, archiveName = "tar"): string[] {
  const bytes = /\.(t?gz)$/.test(archiveName) || (archive[0] === 0x1f && archive[1] === 0x8b) ? zlib.gunzipSync(archive) : archive;
  const files: { target: string; data: Buffer }[] = [];
  const folders: string[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK_BYTES <= bytes.length) {
    const header = bytes.subarray(offset, offset + BLOCK_BYTES);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) => header.toString("utf8", start, start + length).replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1) || "0";
    const prefix = field(345, 155);
    let name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    const data = bytes.subarray(offset + BLOCK_BYTES, offset + BLOCK_BYTES + size);
    offset += BLOCK_BYTES + Math.ceil(size / BLOCK_BYTES) * BLOCK_BYTES;
    if (type === "L") {
      longName = data.toString("utf8").replace(/\0.*$/s, "");
      continue;
    }
    if (type === "x" || type === "g") {
      const pathRecord = /\d+ path=([^\n]*)\n/.exec(data.toString("utf8"));
      if (type === "x" && pathRecord) longName = pathRecord[1];
      continue;
    }
    if (type === "5") {
      folders.push(safeEntryPath(folder, name, archiveName));
      continue;
    }
    if (type !== "0" && type !== "7") throw new Error(`${archiveName}: refusing entry "${name}" of tar type "${type}" (links and devices are not unpacked).`);
    if (name.startsWith("./")) name = name.slice(2);
    files.push({ target: safeEntryPath(folder, name, archiveName), data: Buffer.from(data) });
  }
  for (const dir of folders) fs.mkdirSync(dir, { recursive: true });
  for (const file of files) {
    fs.mkdirSync(path.dirname(file.target), { recursive: true });
    fs.writeFileSync(file.target, file.data);
  }
  return files.map((file) => file.target);
}
