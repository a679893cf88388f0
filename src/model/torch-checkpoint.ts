import * as fs from "node:fs";
import { readZipEntries } from "../data/zip-archive";
import { float16BitsToNumber, type SafetensorsTensor } from "./safetensors";

/**
 * Reader of PyTorch `torch.save` state dicts (`pytorch_model.bin`), the weight file of older Hugging Face
 * checkpoints such as Google's BERT miniatures, in both formats torch has written: the zip archive (torch ≥ 1.6:
 * `<name>/data.pkl` + one raw little-endian file per storage) and the legacy stream (torch < 1.6: magic number,
 * protocol, system info, the pickled dict, the storage keys, then each storage's element count and bytes).
 *
 * The pickles are never executed: a small interpreter understands only the opcodes of protocol 2 and the few
 * globals a state dict uses (`collections.OrderedDict`, `torch._utils._rebuild_tensor_v2`, `torch.*Storage`),
 * and refuses anything else — unlike `torch.load`, which can run arbitrary code.
 * Floating-point tensors come back as Float32Array (F16/BF16 widened), integer tensors as Float64Array.
 *
 * Reference: Python `pickletools` (opcode table); PyTorch 1.13 `torch/serialization.py` (`_save`, `_legacy_save`,
 * `_load`, `_legacy_load`) and `torch/_utils.py` (`_rebuild_tensor_v2`).
 * @example readTorchStateDict(fs.readFileSync("pytorch_model.bin"))["bert.pooler.dense.weight"].shape // [128, 128]
 */

/** Storage classes and the dtype and element size they hold. */
const STORAGE_TYPES: Record<string, { dtype: SafetensorsTensor["dtype"]; bytes: number }> = {
  FloatStorage: { dtype: "F32", bytes: 4 },
  DoubleStorage: { dtype: "F64", bytes: 8 },
  HalfStorage: { dtype: "F16", bytes: 2 },
  BFloat16Storage: { dtype: "BF16", bytes: 2 },
  LongStorage: { dtype: "I64", bytes: 8 },
  IntStorage: { dtype: "I32", bytes: 4 },
  ShortStorage: { dtype: "I16", bytes: 2 },
  CharStorage: { dtype: "I8", bytes: 1 },
  ByteStorage: { dtype: "U8", bytes: 1 },
  BoolStorage: { dtype: "BOOL", bytes: 1 },
};

/** torch's legacy magic number (`torch/serialization.py` MAGIC_NUMBER). */
const LEGACY_MAGIC_NUMBER = 0x1950a86a20f9469cfc6cn;

class Global {
  constructor(readonly module: string, readonly name: string) {}
}
class StorageReference {
  constructor(readonly type: string, readonly key: string, readonly elementCount: number) {}
}
class RebuiltTensor {
  constructor(readonly storage: StorageReference, readonly offset: number, readonly shape: number[], readonly stride: number[]) {}
}
const MARK = Symbol("mark");
type Value = unknown;

function fail(source: string, message: string): never {
  throw new Error(`readTorchStateDict: ${source}: ${message}`);
}

/** Interprets one pickle starting at `offset`; returns the value and the offset after STOP. */
function unpickle(bytes: Buffer, offset: number, source: string, persistentLoad: (pid: Value) => Value): { value: Value; end: number } {
  const stack: Value[] = [];
  const memo = new Map<number, Value>();
  let position = offset;
  const need = (count: number) => {
    if (position + count > bytes.length) fail(source, "the pickle is truncated.");
  };
  const popMark = (): Value[] => {
    const index = stack.lastIndexOf(MARK);
    if (index < 0) fail(source, "malformed pickle (no MARK).");
    const items = stack.slice(index + 1);
    stack.length = index;
    return items;
  };
  const top = () => {
    if (stack.length === 0) fail(source, "malformed pickle (empty stack).");
    return stack[stack.length - 1];
  };
  const pop = () => {
    if (stack.length === 0) fail(source, "malformed pickle (empty stack).");
    return stack.pop();
  };
  /** A string whose length precedes it in 1 or 4 little-endian bytes. */
  const pushText = (lengthBytes: 1 | 4, encoding: "utf8" | "latin1") => {
    need(lengthBytes);
    const length = lengthBytes === 1 ? bytes[position]! : bytes.readUInt32LE(position);
    position += lengthBytes;
    need(length);
    stack.push(bytes.toString(encoding, position, position + length));
    position += length;
  };
  const setItem = (target: Value, key: Value, value: Value) => {
    if (!(target instanceof Map)) fail(source, "SETITEM on something that is not a dict.");
    target.set(key, value);
  };
  const call = (callable: Value, args: Value): Value => {
    if (!(callable instanceof Global) || !Array.isArray(args)) fail(source, "REDUCE on something that is not an allowed global.");
    const qualified = `${callable.module}.${callable.name}`;
    if (qualified === "collections.OrderedDict") return new Map();
    if (qualified === "torch._utils._rebuild_tensor_v2") {
      const [storage, storageOffset, shape, stride] = args as [StorageReference, number, number[], number[]];
      if (!(storage instanceof StorageReference)) fail(source, "_rebuild_tensor_v2 without a storage.");
      return new RebuiltTensor(storage, storageOffset, shape.map(Number), stride.map(Number));
    }
    if (qualified === "torch._utils._rebuild_parameter") {
      const [tensor] = args as [RebuiltTensor];
      return tensor;
    }
    return fail(source, `the pickle calls ${qualified}, which a state dict does not need; refusing to go on (this reader never runs code from a file).`);
  };
  for (;;) {
    need(1);
    const opcode = bytes[position++]!;
    switch (opcode) {
      case 0x80: need(1); position += 1; break; // PROTO
      case 0x2e: return { value: pop(), end: position }; // STOP
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x28: stack.push(MARK); break; // MARK
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x71: need(1); memo.set(bytes[position]!, top()); position += 1; break; // BINPUT
      case 0x72: need(4); memo.set(bytes.readUInt32LE(position), top()); position += 4; break; // LONG_BINPUT
      case 0x68: need(1); stack.push(memo.get(bytes[position]!)); position += 1; break; // BINGET
      case 0x6a: need(4); stack.push(memo.get(bytes.readUInt32LE(position))); position += 4; break; // LONG_BINGET
      case 0x4a: need(4); stack.push(bytes.readInt32LE(position)); position += 4; break; // BININT
      case 0x4b: need(1); stack.push(bytes[position]!); position += 1; break; // BININT1
      case 0x4d: need(2); stack.push(bytes.readUInt16LE(position)); position += 2; break; // BININT2
      case 0x8a: { // LONG1
        need(1);
        const length = bytes[position++]!;
        need(length);
        let value = 0n;
        for (let i = length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[position + i]!);
        if (length > 0 && bytes[position + length - 1]! & 0x80) value -= 1n << BigInt(8 * length);
        position += length;
        stack.push(value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value);
        break;
      }
      case 0x47: need(8); stack.push(bytes.readDoubleBE(position)); position += 8; break; // BINFLOAT
      case 0x58: pushText(4, "utf8"); break; // BINUNICODE
      case 0x8c: pushText(1, "utf8"); break; // SHORT_BINUNICODE (protocol 4)
      case 0x54: pushText(4, "latin1"); break; // BINSTRING
      case 0x55: pushText(1, "latin1"); break; // SHORT_BINSTRING
      case 0x63: { // GLOBAL "module\nname\n"
        const firstEnd = bytes.indexOf(0x0a, position);
        const secondEnd = firstEnd < 0 ? -1 : bytes.indexOf(0x0a, firstEnd + 1);
        if (secondEnd < 0) fail(source, "malformed GLOBAL.");
        stack.push(new Global(bytes.toString("utf8", position, firstEnd), bytes.toString("utf8", firstEnd + 1, secondEnd)));
        position = secondEnd + 1;
        break;
      }
      case 0x74: stack.push(popMark()); break; // TUPLE
      case 0x85: stack.push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push([a, b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push([a, b, c]); break; } // TUPLE3
      case 0x73: { const value = pop(); const key = pop(); setItem(top(), key, value); break; } // SETITEM
      case 0x75: { // SETITEMS
        const items = popMark();
        const target = top();
        for (let i = 0; i + 1 < items.length; i += 2) setItem(target, items[i], items[i + 1]);
        break;
      }
      case 0x61: { const value = pop(); const list = top(); if (!Array.isArray(list)) fail(source, "APPEND to a non-list."); list.push(value); break; } // APPEND
      case 0x65: { const items = popMark(); const list = top(); if (!Array.isArray(list)) fail(source, "APPENDS to a non-list."); list.push(...items); break; } // APPENDS
      case 0x52: { const args = pop(); const callable = pop(); stack.push(call(callable, args)); break; } // REDUCE
      case 0x81: { const args = pop(); const callable = pop(); stack.push(call(callable, args)); break; } // NEWOBJ
      case 0x62: pop(); break; // BUILD: state of an OrderedDict or tensor (e.g. _metadata); not needed
      case 0x51: stack.push(persistentLoad(pop())); break; // BINPERSID
      default:
        fail(source, `unsupported pickle opcode 0x${opcode.toString(16)} at byte ${position - 1}; this is not a plain PyTorch state dict.`);
    }
  }
}

function storageFromPersistentId(pid: Value, source: string): StorageReference {
  // ('storage', storage_type, key, location, numel[, view_metadata])
  if (!Array.isArray(pid) || pid[0] !== "storage" || !(pid[1] instanceof Global)) fail(source, "unexpected persistent id; not a tensor storage.");
  const type = (pid[1] as Global).name;
  if ((pid[1] as Global).module !== "torch" || !STORAGE_TYPES[type]) fail(source, `storage type ${(pid[1] as Global).module}.${type} is not supported.`);
  if (pid[5] !== undefined && pid[5] !== null) fail(source, "storage views (legacy view_metadata) are not supported.");
  return new StorageReference(type, String(pid[2]), Number(pid[4]));
}

function decodeElements(data: Buffer, type: string, offset: number, count: number): Float32Array | Float64Array {
  const { dtype, bytes } = STORAGE_TYPES[type]!;
  const start = offset * bytes;
  const view = data.subarray(start, start + count * bytes);
  const out = dtype === "F32" || dtype === "F64" || dtype === "F16" || dtype === "BF16" ? new Float32Array(count) : new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * bytes;
    switch (dtype) {
      case "F32": out[i] = view.readFloatLE(at); break;
      case "F64": out[i] = view.readDoubleLE(at); break;
      case "F16": out[i] = float16BitsToNumber(view.readUInt16LE(at)); break;
      case "BF16": out[i] = new Float32Array(new Uint32Array([view.readUInt16LE(at) << 16]).buffer)[0]!; break;
      case "I64": out[i] = Number(view.readBigInt64LE(at)); break;
      case "I32": out[i] = view.readInt32LE(at); break;
      case "I16": out[i] = view.readInt16LE(at); break;
      case "I8": out[i] = view.readInt8(at); break;
      default: out[i] = view[at]!;
    }
  }
  return out;
}

function materialize(tensor: RebuiltTensor, data: Buffer, source: string): SafetensorsTensor {
  const { dtype, bytes } = STORAGE_TYPES[tensor.storage.type]!;
  const count = tensor.shape.reduce((a, b) => a * b, 1);
  if (data.length < tensor.storage.elementCount * bytes) fail(source, `storage ${tensor.storage.key} holds ${data.length} bytes, expected ${tensor.storage.elementCount * bytes}.`);
  // Row-major contiguous strides: one slice. Anything else: gather element by element.
  let contiguous = true;
  for (let axis = tensor.shape.length - 1, expected = 1; axis >= 0; axis--) {
    if (tensor.shape[axis] !== 1 && tensor.stride[axis] !== expected) contiguous = false;
    expected *= tensor.shape[axis]!;
  }
  if (contiguous) {
    if ((tensor.offset + count) * bytes > data.length) fail(source, `tensor reaches past the end of storage ${tensor.storage.key}.`);
    return { dtype, shape: tensor.shape, values: decodeElements(data, tensor.storage.type, tensor.offset, count) };
  }
  const all = decodeElements(data, tensor.storage.type, 0, tensor.storage.elementCount);
  const values = all instanceof Float32Array ? new Float32Array(count) : new Float64Array(count);
  const index = new Array<number>(tensor.shape.length).fill(0);
  for (let flat = 0; flat < count; flat++) {
    let at = tensor.offset;
    for (let axis = 0; axis < index.length; axis++) at += index[axis]! * tensor.stride[axis]!;
    if (at >= all.length) fail(source, `tensor reaches past the end of storage ${tensor.storage.key}.`);
    values[flat] = all[at]!;
    for (let axis = index.length - 1; axis >= 0; axis--) {
      if (++index[axis]! < tensor.shape[axis]!) break;
      index[axis] = 0;
    }
  }
  return { dtype, shape: tensor.shape, values };
}

function toStateDict(value: Value, storages: (key: string) => Buffer, source: string): Record<string, SafetensorsTensor> {
  if (!(value instanceof Map)) fail(source, "the pickled object is not a dict of tensors (a whole pickled model?). Save `model.state_dict()` instead.");
  const out: Record<string, SafetensorsTensor> = {};
  for (const [name, tensor] of value) {
    if (typeof name !== "string") fail(source, "a state dict key is not a string.");
    if (!(tensor instanceof RebuiltTensor)) fail(source, `entry "${name}" is not a tensor.`);
    out[name] = materialize(tensor, storages(tensor.storage.key), source);
  }
  return out;
}

/** Decodes a `torch.save`d state dict (zip or legacy format). */
export function readTorchStateDict(bytes: Buffer, source = "pytorch_model.bin"): Record<string, SafetensorsTensor> {
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) {
    const entries = readZipEntries(bytes, source);
    const pickle = entries.find((entry) => entry.name.endsWith("/data.pkl") || entry.name === "data.pkl");
    if (!pickle) fail(source, "zip archive without data.pkl; not a torch.save file.");
    const prefix = pickle.name.slice(0, -"data.pkl".length);
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    const value = unpickle(pickle.read(), 0, source, (pid) => storageFromPersistentId(pid, source)).value;
    return toStateDict(value, (key) => {
      const entry = byName.get(`${prefix}data/${key}`);
      if (!entry) fail(source, `storage ${key} is missing from the archive.`);
      return entry.read();
    }, source);
  }
  if (bytes.length < 2 || bytes[0] !== 0x80) fail(source, "neither a zip archive nor a pickle; not a torch.save file.");
  const noPersistent = () => fail(source, "unexpected persistent id in the legacy header.");
  const magic = unpickle(bytes, 0, source, noPersistent);
  if (BigInt(magic.value as number | bigint) !== LEGACY_MAGIC_NUMBER) fail(source, "wrong magic number; not a torch.save file.");
  const protocol = unpickle(bytes, magic.end, source, noPersistent);
  const systemInfo = unpickle(bytes, protocol.end, source, noPersistent);
  if (systemInfo.value instanceof Map && systemInfo.value.get("little_endian") === false) fail(source, "big-endian legacy files are not supported.");
  const storageTypes = new Map<string, StorageReference>();
  const object = unpickle(bytes, systemInfo.end, source, (pid) => {
    const storage = storageFromPersistentId(pid, source);
    storageTypes.set(storage.key, storage);
    return storage;
  });
  const keys = unpickle(bytes, object.end, source, noPersistent);
  if (!Array.isArray(keys.value)) fail(source, "the storage key list is missing.");
  const data = new Map<string, Buffer>();
  let position = keys.end;
  for (const key of keys.value as string[]) {
    const storage = storageTypes.get(key);
    if (!storage) fail(source, `storage ${key} is listed but never used.`);
    if (position + 8 > bytes.length) fail(source, "the file is truncated.");
    const count = Number(bytes.readBigInt64LE(position));
    position += 8;
    const length = count * STORAGE_TYPES[storage.type]!.bytes;
    if (position + length > bytes.length) fail(source, "the file is truncated.");
    data.set(key, bytes.subarray(position, position + length));
    position += length;
  }
  return toStateDict(object.value, (key) => data.get(key) ?? fail(source, `storage ${key} has no data.`), source);
}

/** Reads `pytorch_model.bin` from disk; see {@link readTorchStateDict}. */
export function loadTorchStateDict(filePath: string): Record<string, SafetensorsTensor> {
  return readTorchStateDict(fs.readFileSync(filePath), filePath);
}
