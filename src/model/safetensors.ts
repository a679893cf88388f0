import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Reader and writer for the safetensors format (Hugging Face), the weight file of `model.safetensors` checkpoints:
 * an unsigned 64-bit little-endian header length N, N bytes of JSON header
 * (`{"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, "__metadata__": {...}}`),
 * then the raw little-endian tensor bytes, offsets relative to the end of the header.
 * Nothing in the file is evaluated: the header is parsed as JSON and every field is checked.
 *
 * Reference: https://github.com/huggingface/safetensors (README "Format"; `safetensors/src/tensor.rs` validation).
 */

/** Element types this reader understands, with their byte sizes. */
export const SAFETENSORS_DTYPE_BYTES = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
} as const;
export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPE_BYTES;

/** Float dtypes the writer can produce from float32 values. */
export type SafetensorsFloatDtype = "F32" | "F16" | "BF16";

/** Largest header the reader accepts (the reference implementation's limit is 100 MB too). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/** One entry of the JSON header. */
export interface SafetensorsEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  /** [begin, end) byte offsets into the data section. */
  dataOffsets: [number, number];
}

/** A decoded tensor: float dtypes become Float32Array, integer and bool dtypes Float64Array (exact below 2^53). */
export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  values: Float32Array | Float64Array;
}

/** A whole decoded file. */
export interface SafetensorsContents {
  /** The header's `__metadata__` (string → string), {} when absent. */
  metadata: Record<string, string>;
  tensors: Record<string, SafetensorsTensor>;
}

/** A tensor to write: float32 values stored as `dtype` (default F32; F16/BF16 round to nearest even). */
export interface SafetensorsInput {
  shape: readonly number[];
  values: Float32Array;
  dtype?: SafetensorsFloatDtype;
}

function fail(source: string, message: string): never {
  throw new Error(`safetensors: ${source}: ${message}`);
}

/**
 * Parses and validates the header of a safetensors byte buffer: header size, JSON shape, known dtypes, shapes whose
 * element count matches the byte range, and data ranges that tile the data section without gaps or overlaps.
 * @example parseSafetensorsHeader(bytes).entries["classifier.weight"] // { dtype: "F32", shape: [1, 32], dataOffsets: [...] }
 */
export function parseSafetensorsHeader(
  bytes: Uint8Array,
  source = "buffer",
): { metadata: Record<string, string>; entries: Record<string, SafetensorsEntry>; dataStart: number } {
  if (bytes.byteLength < 8) fail(source, `file is ${bytes.byteLength} bytes, shorter than the 8-byte header length; it is truncated or not a safetensors file.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = Number(view.getBigUint64(0, true));
  if (headerBytes > SAFETENSORS_MAX_HEADER_BYTES) fail(source, `header length ${headerBytes} exceeds ${SAFETENSORS_MAX_HEADER_BYTES} bytes; this is not a safetensors file (a PyTorch .bin or a TF checkpoint?).`);
  if (8 + headerBytes > bytes.byteLength) fail(source, `header claims ${headerBytes} bytes but the file has ${bytes.byteLength - 8} after the length; the file is truncated.`);
  const headerText = Buffer.from(bytes.buffer, bytes.byteOffset + 8, headerBytes).toString("utf8");
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch (error) {
    fail(source, `header is not valid JSON (${(error as Error).message}); the file is corrupt or not safetensors.`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) fail(source, "header must be a JSON object of tensor entries.");
  const dataStart = 8 + headerBytes;
  const dataBytes = bytes.byteLength - dataStart;
  const metadata: Record<string, string> = {};
  const entries: Record<string, SafetensorsEntry> = {};
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (raw === null || typeof raw !== "object" || Array.isArray(raw)) fail(source, "__metadata__ must be an object of strings.");
      for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof value !== "string") fail(source, `__metadata__.${key} must be a string, got ${JSON.stringify(value)}.`);
        metadata[key] = value;
      }
      continue;
    }
    const entry = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    if (entry === null || typeof entry !== "object") fail(source, `entry "${name}" must be an object.`);
    const dtype = entry.dtype;
    if (typeof dtype !== "string" || !(dtype in SAFETENSORS_DTYPE_BYTES)) {
      fail(source, `tensor "${name}" has dtype ${JSON.stringify(dtype)}; supported: ${Object.keys(SAFETENSORS_DTYPE_BYTES).join(", ")}.`);
    }
    const shape = entry.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(source, `tensor "${name}" has shape ${JSON.stringify(shape)}; expected an array of non-negative integers.`);
    const offsets = entry.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
      fail(source, `tensor "${name}" has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] with 0 <= begin <= end.`);
    }
    const elementCount = (shape as number[]).reduce((a, b) => a * b, 1);
    const expectedBytes = elementCount * SAFETENSORS_DTYPE_BYTES[dtype as SafetensorsDtype];
    if (offsets[1] - offsets[0] !== expectedBytes) fail(source, `tensor "${name}" (${dtype}, shape [${shape.join(", ")}]) needs ${expectedBytes} bytes but its data_offsets span ${offsets[1] - offsets[0]}.`);
    entries[name] = { dtype: dtype as SafetensorsDtype, shape: (shape as number[]).slice(), dataOffsets: [offsets[0], offsets[1]] };
  }
  // The ranges must tile [0, dataBytes) exactly, as the reference implementation requires.
  const sorted = Object.entries(entries).sort((a, b) => a[1].dataOffsets[0] - b[1].dataOffsets[0] || a[1].dataOffsets[1] - b[1].dataOffsets[1]);
  let cursor = 0;
  for (const [name, entry] of sorted) {
    if (entry.dataOffsets[0] !== cursor) fail(source, `tensor "${name}" starts at byte ${entry.dataOffsets[0]} of the data section, expected ${cursor}: ranges overlap or leave a gap.`);
    cursor = entry.dataOffsets[1];
  }
  if (cursor !== dataBytes) fail(source, `tensors cover ${cursor} bytes but the data section has ${dataBytes}; the file is truncated or has trailing bytes.`);
  return { metadata, entries, dataStart };
}

/** IEEE half precision bits → number. */
export function float16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

/** number → IEEE half precision bits, rounding to nearest even (as torch's `.to(torch.float16)`). */
export function numberToFloat16Bits(value: number): number {
  scratchFloat[0] = value;
  const bits = scratchBits[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00; // overflow → infinity
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign; // underflow → signed zero
    const full = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    let half = full >>> shift;
    const remainder = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (remainder > halfway || (remainder === halfway && half & 1)) half += 1;
    return sign | half;
  }
  let half = (halfExponent << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  if (remainder > 0x1000 || (remainder === 0x1000 && half & 1)) half += 1; // may carry into the exponent: correct
  return sign | half;
}

/** number → bfloat16 bits, rounding to nearest even (as torch's `.to(torch.bfloat16)`). */
export function numberToBfloat16Bits(value: number): number {
  scratchFloat[0] = value;
  const bits = scratchBits[0]!;
  if ((bits & 0x7f800000) === 0x7f800000 && bits & 0x7fffff) return ((bits >>> 16) | 0x40) & 0xffff; // quiet NaN
  const rounded = bits + 0x7fff + ((bits >>> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}

function assertLittleEndianHost(): void {
  if (os.endianness() !== "LE") throw new Error("safetensors: this reader assumes a little-endian machine.");
}

function decodeTensor(bytes: Uint8Array, dataStart: number, entry: SafetensorsEntry): Float32Array | Float64Array {
  const begin = dataStart + entry.dataOffsets[0];
  const end = dataStart + entry.dataOffsets[1];
  const copy = Uint8Array.prototype.slice.call(bytes, begin, end); // an aligned copy (Buffer#slice would share memory)
  const buffer = copy.buffer;
  switch (entry.dtype) {
    case "F32":
      return new Float32Array(buffer);
    case "F64":
      return Float32Array.from(new Float64Array(buffer));
    case "F16": {
      const halves = new Uint16Array(buffer);
      const out = new Float32Array(halves.length);
      for (let i = 0; i < halves.length; i++) out[i] = float16BitsToNumber(halves[i]!);
      return out;
    }
    case "BF16": {
      const halves = new Uint16Array(buffer);
      const out = new Float32Array(halves.length);
      const outBits = new Uint32Array(out.buffer);
      for (let i = 0; i < halves.length; i++) outBits[i] = halves[i]! << 16;
      return out;
    }
    case "I64":
      return Float64Array.from(new BigInt64Array(buffer), (v) => {
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
          throw new Error(`safetensors: I64 value ${v} is beyond 2^53 and cannot be represented exactly.`);
        }
        return Number(v);
      });
    case "I32":
      return Float64Array.from(new Int32Array(buffer));
    case "I16":
      return Float64Array.from(new Int16Array(buffer));
    case "I8":
      return Float64Array.from(new Int8Array(buffer));
    case "U8":
    case "BOOL":
      return Float64Array.from(copy);
  }
}

/**
 * Decodes a safetensors buffer. Float tensors (F64, F32, F16, BF16) come back as Float32Array, integer and bool tensors
 * as Float64Array. Pass `names` to decode only some tensors (the header is still fully validated).
 * @example readSafetensors(fs.readFileSync("model.safetensors")).tensors["classifier.bias"].values // Float32Array [0.05…]
 */
export function readSafetensors(bytes: Uint8Array, options: { names?: readonly string[]; source?: string } = {}): SafetensorsContents {
  assertLittleEndianHost();
  const source = options.source ?? "buffer";
  const { metadata, entries, dataStart } = parseSafetensorsHeader(bytes, source);
  const wanted = options.names ?? Object.keys(entries);
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const name of wanted) {
    const entry = entries[name];
    if (!entry) fail(source, `no tensor named "${name}" (it has ${Object.keys(entries).length} tensors).`);
    tensors[name] = { dtype: entry.dtype, shape: entry.shape.slice(), values: decodeTensor(bytes, dataStart, entry) };
  }
  return { metadata, tensors };
}

/**
 * Encodes float32 tensors as a safetensors buffer, tensors sorted by name, header padded with spaces to 8 bytes
 * (as the reference writer does). F16/BF16 round to nearest even.
 * @example writeSafetensors({ w: { shape: [2], values: new Float32Array([1, 2]) } }, { format: "pt" })
 */
export function writeSafetensors(
  tensors: Readonly<Record<string, SafetensorsInput>>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  assertLittleEndianHost();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of Object.keys(tensors).sort()) {
    if (name === "__metadata__") throw new Error('writeSafetensors: "__metadata__" is reserved; pass metadata as the second argument.');
    const tensor = tensors[name]!;
    const dtype = tensor.dtype ?? "F32";
    const elementCount = tensor.shape.reduce((a, b) => a * b, 1);
    if (!tensor.shape.every((d) => Number.isSafeInteger(d) && d >= 0) || elementCount !== tensor.values.length) {
      throw new Error(`writeSafetensors: tensor "${name}" has shape [${tensor.shape.join(", ")}] (${elementCount} elements) but ${tensor.values.length} values.`);
    }
    let chunk: Uint8Array;
    if (dtype === "F32") {
      chunk = new Uint8Array(tensor.values.buffer.slice(tensor.values.byteOffset, tensor.values.byteOffset + tensor.values.byteLength));
    } else if (dtype === "F16" || dtype === "BF16") {
      const encode = dtype === "F16" ? numberToFloat16Bits : numberToBfloat16Bits;
      const halves = new Uint16Array(tensor.values.length);
      for (let i = 0; i < halves.length; i++) halves[i] = encode(tensor.values[i]!);
      chunk = new Uint8Array(halves.buffer);
    } else {
      throw new Error(`writeSafetensors: tensor "${name}" has dtype ${JSON.stringify(dtype)}; use F32, F16 or BF16.`);
    }
    header[name] = { dtype, shape: [...tensor.shape], data_offsets: [offset, offset + chunk.byteLength] };
    chunks.push(chunk);
    offset += chunk.byteLength;
  }
  let headerText = JSON.stringify(header);
  let headerBytes = Buffer.from(headerText, "utf8");
  const padding = (8 - (headerBytes.byteLength % 8)) % 8;
  if (padding > 0) {
    headerText += " ".repeat(padding);
    headerBytes = Buffer.from(headerText, "utf8");
  }
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let cursor = 8 + headerBytes.byteLength;
  for (const chunk of chunks) {
    out.set(chunk, cursor);
    cursor += chunk.byteLength;
  }
  return out;
}

/** Reads and decodes a safetensors file; errors name the file. */
export function loadSafetensors(filePath: string, options: { names?: readonly string[] } = {}): SafetensorsContents {
  return readSafetensors(fs.readFileSync(filePath), { ...options, source: filePath });
}

/** Writes a safetensors file atomically (temporary file in the same folder, then rename). */
export function saveSafetensors(
  filePath: string,
  tensors: Readonly<Record<string, SafetensorsInput>>,
  metadata: Readonly<Record<string, string>> = {},
): void {
  const bytes = writeSafetensors(tensors, metadata);
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  const temporary = `${filePath}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temporary, bytes);
  fs.renameSync(temporary, filePath);
}
