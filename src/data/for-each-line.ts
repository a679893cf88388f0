import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { StringDecoder } from "node:string_decoder";

/** Bytes read per chunk when streaming a file. */
const CHUNK_BYTES = 1 << 20;

/**
 * Streams a text file (UTF-8; gunzipped on the fly when the name ends in `.gz`) and calls `onLine` once per
 * line with its 1-based number. Handles `\n` and `\r\n` endings and a missing final newline; a UTF-8 byte
 * order mark at the start is dropped. The file is read once, in 1 MiB chunks, so it never has to fit in memory.
 * An exception thrown by `onLine` stops the read and rejects the promise.
 *
 * @example await forEachLine("qrels.txt", (line, lineNumber) => console.log(lineNumber, line))
 */
export async function forEachLine(file: string, onLine: (line: string, lineNumber: number) => void): Promise<void> {
  const raw = fs.createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const stream: NodeJS.ReadableStream = file.endsWith(".gz") ? raw.pipe(zlib.createGunzip()) : raw;
  const decoder = new StringDecoder("utf8");
  let pending = "";
  let lineNumber = 0;
  const emit = (line: string) => {
    lineNumber++;
    if (lineNumber === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    onLine(line.endsWith("\r") ? line.slice(0, -1) : line, lineNumber);
  };
  try {
    for await (const chunk of stream) {
      const text = pending + decoder.write(chunk as Buffer);
      let start = 0;
      for (let newline = text.indexOf("\n"); newline !== -1; newline = text.indexOf("\n", start)) {
        emit(text.slice(start, newline));
        start = newline + 1;
      }
      pending = text.slice(start);
    }
  } finally {
    raw.destroy();
  }
  pending += decoder.end();
  if (pending.length > 0) emit(pending);
}

/** Reads a whole (small) text file, gunzipping `.gz`, with the byte order mark dropped and `\r\n` normalised to `\n`. */
export function readTextFile(file: string): string {
  let bytes = fs.readFileSync(file);
  if (file.endsWith(".gz")) bytes = zlib.gunzipSync(bytes);
  let text = bytes.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.replace(/\r\n?/g, "\n");
}
