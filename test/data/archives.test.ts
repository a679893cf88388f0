import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { safeEntryPath } from "../../src/data/safe-entry-path";
import { untarToFolder } from "../../src/data/tar-archive";
import { crc32, readZipEntries, unzipToFolder, writeZip } from "../../src/data/zip-archive";

/** A ustar archive built by hand (POSIX.1-2001 header layout), so the test controls names and types. */
function tar(entries: { name: string; type?: string; data?: string; linkTarget?: string }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.data ?? "");
    const header = Buffer.alloc(512);
    header.write(entry.name, 0, 100);
    header.write("0000644\0", 100);
    header.write("0000000\0", 108);
    header.write("0000000\0", 116);
    header.write(data.length.toString(8).padStart(11, "0") + "\0", 124);
    header.write("00000000000\0", 136);
    header.write(entry.type ?? "0", 156);
    if (entry.linkTarget) header.write(entry.linkTarget, 157, 100);
    header.write("ustar\u000000", 257);
    header.fill(" ", 148, 156);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return zlib.gzipSync(Buffer.concat(blocks));
}

const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), "rerank-archive-"));

test("CRC-32 check value of \"123456789\" is 0xCBF43926 (the standard check value of CRC-32/ISO-HDLC)", () => {
  assert.equal(crc32(Buffer.from("123456789")), 0xcbf43926);
  assert.equal(crc32(Buffer.alloc(0)), 0);
});

test("zip: entries round-trip, and a corrupted byte fails the CRC check", () => {
  const zip = writeZip([{ name: "a/b.txt", data: "hello ".repeat(100) }, { name: "c.txt", data: "" }]);
  const entries = readZipEntries(zip);
  assert.deepEqual(entries.map((entry) => [entry.name, entry.uncompressedBytes]), [["a/b.txt", 600], ["c.txt", 0]]);
  assert.equal(entries[0]!.read().toString(), "hello ".repeat(100));
  const corrupted = Buffer.from(zip);
  corrupted[40] = corrupted[40]! ^ 0xff;
  assert.throws(() => readZipEntries(corrupted)[0]!.read(), /CRC|invalid|incorrect/i);
  assert.throws(() => readZipEntries(Buffer.from("not a zip at all, just text")), /not a zip archive/);
});

test("zip: an absolute or parent-relative entry refuses the whole archive before writing", () => {
  for (const name of ["../evil.txt", "/etc/evil", "ok/../../evil", "C:\\evil", "a\\..\\..\\evil"]) {
    const folder = scratch();
    assert.throws(() => unzipToFolder(writeZip([{ name: "fine.txt", data: "x" }, { name, data: "x" }]), folder), /refusing entry/, name);
    assert.deepEqual(fs.readdirSync(folder), [], `${name}: nothing written`);
  }
  assert.equal(safeEntryPath("/cache/x", "./a//b.txt"), path.resolve("/cache/x/a/b.txt"));
});

test("tar.gz: files unpack; links and escaping names are refused", () => {
  const folder = scratch();
  untarToFolder(tar([{ name: "cran/", type: "5" }, { name: "cran/cran.qry", data: ".I 1\n.W\nquery\n" }]), folder, "cran.tar.gz");
  assert.equal(fs.readFileSync(path.join(folder, "cran", "cran.qry"), "utf8"), ".I 1\n.W\nquery\n");
  const other = scratch();
  assert.throws(() => untarToFolder(tar([{ name: "link", type: "2", linkTarget: "/etc/passwd" }]), other, "x.tar.gz"), /refusing entry "link" of tar type "2"/);
  assert.throws(() => untarToFolder(tar([{ name: "ok.txt", data: "1" }, { name: "../escape.txt", data: "2" }]), other, "x.tar.gz"), /refusing entry/);
  assert.deepEqual(fs.readdirSync(other), []);
});
