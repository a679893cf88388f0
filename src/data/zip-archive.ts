import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { safeEntryPath } from "./safe-entry-path";

/** Signatures and sizes from PKWARE's APPNOTE.TXT (section 4.3). */
const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
const CENTRAL_DIRECTORY_SIGNATURE = 0x02014b50;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const END_OF_CENTRAL_DIRECTORY_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;
const ZIP64_EXTRA_ID = 0x0001;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) lookup table; `zlib.crc32` exists only from Node 20.15. */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let value = byte;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    table[byte] = value >>> 0;
  }
  return table;
})();

/** CRC-32 of bytes, as zip stores it. @example crc32(Buffer.from("123456789")) // 0xcbf43926 */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let index = 0; index < bytes.length; index++) crc = CRC_TABLE[(crc ^ bytes[index]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Unix file-type bits in the high half of "external attributes" (made on Unix), and the symlink type. */
const UNIX_TYPE_MASK = 0o170000;
const UNIX_SYMLINK = 0o120000;

export interface ZipEntry {
  /** Name as stored (forward slashes; folders end in "/"). */
  name: string;
  isDirectory: boolean;
  isSymlink: boolean;
  uncompressedBytes: number;
  /** Decompresses and CRC-checks the entry's data. */
  read(): Buffer;
}

/**
 * Lists the entries of a zip archive held in memory (stored or deflated entries, zip64 sizes; no encryption, no multi-disk).
 * Each entry's data is inflated on demand and checked against its CRC-32.
 *
 * Reference: PKWARE APPNOTE.TXT 6.3.10.
 * @example readZipEntries(fs.readFileSync("scifact.zip")).map((e) => e.name)
 */
export function readZipEntries(archive: Buffer, archiveName = "zip"): ZipEntry[] {
  const searchFrom = Math.max(0, archive.length - END_OF_CENTRAL_DIRECTORY_BYTES - MAX_COMMENT_BYTES);
  let end = -1;
  for (let offset = archive.length - END_OF_CENTRAL_DIRECTORY_BYTES; offset >= searchFrom; offset--) {
    if (archive.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY_SIGNATURE) {
      end = offset;
      break;
    }
  }
  if (end < 0) throw new Error(`${archiveName}: not a zip archive (no end-of-central-directory record). The download may be truncated.`);
  const entryCount = archive.readUInt16LE(end + 10);
  const directoryOffset = archive.readUInt32LE(end + 16);
  if (entryCount === 0xffff || directoryOffset === 0xffffffff) throw new Error(`${archiveName}: zip64 archives with more than 65,535 entries or a 4 GiB directory offset are not supported.`);
  const entries: ZipEntry[] = [];
  let offset = directoryOffset;
  for (let index = 0; index < entryCount; index++) {
    if (offset + 46 > archive.length || archive.readUInt32LE(offset) !== CENTRAL_DIRECTORY_SIGNATURE) {
      throw new Error(`${archiveName}: central directory entry ${index + 1} is damaged.`);
    }
    const flags = archive.readUInt16LE(offset + 8);
    const method = archive.readUInt16LE(offset + 10);
    const crc = archive.readUInt32LE(offset + 16);
    let compressedBytes = archive.readUInt32LE(offset + 20);
    let uncompressedBytes = archive.readUInt32LE(offset + 24);
    const nameBytes = archive.readUInt16LE(offset + 28);
    const extraBytes = archive.readUInt16LE(offset + 30);
    const commentBytes = archive.readUInt16LE(offset + 32);
    const externalAttributes = archive.readUInt32LE(offset + 38);
    let localOffset = archive.readUInt32LE(offset + 42);
    const name = archive.toString("utf8", offset + 46, offset + 46 + nameBytes);
    // Zip64 extended information (APPNOTE 4.5.3): 8-byte values for the fields stored as 0xFFFFFFFF, in this order.
    for (let extra = offset + 46 + nameBytes; extra + 4 <= offset + 46 + nameBytes + extraBytes; ) {
      const headerId = archive.readUInt16LE(extra);
      const size = archive.readUInt16LE(extra + 2);
      if (headerId === ZIP64_EXTRA_ID) {
        let cursor = extra + 4;
        const next = () => {
          const value = Number(archive.readBigUInt64LE(cursor));
          cursor += 8;
          return value;
        };
        if (uncompressedBytes === 0xffffffff) uncompressedBytes = next();
        if (compressedBytes === 0xffffffff) compressedBytes = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      extra += 4 + size;
    }
    offset += 46 + nameBytes + extraBytes + commentBytes;
    const unixMode = externalAttributes >>> 16;
    entries.push({
      name,
      isDirectory: name.endsWith("/"),
      isSymlink: (unixMode & UNIX_TYPE_MASK) === UNIX_SYMLINK,
      uncompressedBytes,
      read(): Buffer {
        if (flags & 1) throw new Error(`${archiveName}: entry "${name}" is encrypted.`);
        if (archive.readUInt32LE(localOffset) !== LOCAL_HEADER_SIGNATURE) throw new Error(`${archiveName}: local header of "${name}" is damaged.`);
        const dataStart = localOffset + 30 + archive.readUInt16LE(localOffset + 26) + archive.readUInt16LE(localOffset + 28);
        const compressed = archive.subarray(dataStart, dataStart + compressedBytes);
        let data: Buffer;
        if (method === METHOD_STORED) data = Buffer.from(compressed);
        else if (method === METHOD_DEFLATE) data = zlib.inflateRawSync(compressed);
        else throw new Error(`${archiveName}: entry "${name}" uses compression method ${method}; only stored (0) and deflate (8) are supported.`);
        if (data.length !== uncompressedBytes || crc32(data) !== crc) {
          throw new Error(`${archiveName}: entry "${name}" fails its CRC/size check; the archive is corrupt.`);
        }
        return data;
      },
    });
  }
  return entries;
}

/**
 * Unpacks a zip archive into `folder`, refusing the whole archive before writing anything when an entry
 * would land outside the folder (`../`, absolute paths) or is a symbolic link.
 * @example unzipToFolder(fs.readFileSync("scifact.zip"), "/tmp/unpacked")
 */
export function unzipToFolder(archive: Buffer, folder: string, archiveName = "zip"): string[] {
  const entries = readZipEntries(archive, archiveName);
  const targets = entries.map((entry) => {
    if (entry.isSymlink) throw new Error(`${archiveName}: refusing symbolic link entry "${entry.name}".`);
    return safeEntryPath(folder, entry.name, archiveName);
  });
  const written: string[] = [];
  entries.forEach((entry, index) => {
    const target = targets[index]!;
    if (entry.isDirectory) {
      fs.mkdirSync(target, { recursive: true });
      return;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, entry.read());
    written.push(target);
  });
  return written;
}

/**
 * Builds a zip archive (deflated entries) in memory. Used by tests and fixture generators.
 * @example writeZip([{ name: "scifact/corpus.jsonl", data: Buffer.from("{}\n") }])
 */
export function writeZip(files: ReadonlyArray<{ name: string; data: Buffer | string }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const data = typeof file.data === "string" ? Buffer.from(file.data, "utf8") : file.data;
    const compressed = zlib.deflateRawSync(data);
    const name = Buffer.from(file.name, "utf8");
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(METHOD_DEFLATE, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_DIRECTORY_SIGNATURE, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(METHOD_DEFLATE, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(END_OF_CENTRAL_DIRECTORY_BYTES);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
