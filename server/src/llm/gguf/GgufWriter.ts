/**
 * Minimal GGUF v3 writer: key/value metadata plus F32/F16 tensors.
 * Used to generate the scripted demo model and benchmark models with a real
 * model's architecture; no download is ever needed to get a loadable GGUF.
 */
import { createWriteStream } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { once } from "node:events";

export const GgufType = {
  UINT8: 0, INT8: 1, UINT16: 2, INT16: 3, UINT32: 4, INT32: 5, FLOAT32: 6,
  BOOL: 7, STRING: 8, ARRAY: 9, UINT64: 10, INT64: 11, FLOAT64: 12,
} as const;
export type GgufType = (typeof GgufType)[keyof typeof GgufType];

export const GgmlType = { F32: 0, F16: 1, Q8_0: 8 } as const;
export type GgmlType = (typeof GgmlType)[keyof typeof GgmlType];

export type GgufValue =
  | { type: typeof GgufType.UINT32 | typeof GgufType.INT32 | typeof GgufType.FLOAT32; value: number }
  | { type: typeof GgufType.BOOL; value: boolean }
  | { type: typeof GgufType.STRING; value: string }
  | { type: typeof GgufType.ARRAY; itemType: typeof GgufType.STRING; value: readonly string[] }
  | { type: typeof GgufType.ARRAY; itemType: typeof GgufType.FLOAT32 | typeof GgufType.INT32; value: ArrayLike<number> };

export const u32 = (value: number): GgufValue => ({ type: GgufType.UINT32, value });
export const f32 = (value: number): GgufValue => ({ type: GgufType.FLOAT32, value });
export const bool = (value: boolean): GgufValue => ({ type: GgufType.BOOL, value });
export const str = (value: string): GgufValue => ({ type: GgufType.STRING, value });
export const strings = (value: readonly string[]): GgufValue => ({ type: GgufType.ARRAY, itemType: GgufType.STRING, value });
export const f32s = (value: ArrayLike<number>): GgufValue => ({ type: GgufType.ARRAY, itemType: GgufType.FLOAT32, value });
export const i32s = (value: ArrayLike<number>): GgufValue => ({ type: GgufType.ARRAY, itemType: GgufType.INT32, value });

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the contiguous (innermost) dimension. */
  dims: readonly number[];
  type: GgmlType;
  /** Fills the tensor's values (F32/F16); called once, while writing, so large models never sit in memory twice. */
  fill?: (out: Float32Array) => void;
  /** Fills the tensor's encoded bytes directly (any type, e.g. Q8_0 blocks). */
  fillRaw?: (out: Uint8Array) => void;
}

const ALIGNMENT = 32; // bytes, GGUF default

class ByteSink {
  private parts: Buffer[] = [];
  length = 0;
  push(buf: Buffer): void { this.parts.push(buf); this.length += buf.length; }
  u32(v: number): void { const b = Buffer.alloc(4); b.writeUInt32LE(v); this.push(b); }
  i32(v: number): void { const b = Buffer.alloc(4); b.writeInt32LE(v); this.push(b); }
  u64(v: number): void { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); this.push(b); }
  f32(v: number): void { const b = Buffer.alloc(4); b.writeFloatLE(v); this.push(b); }
  str(s: string): void { const b = Buffer.from(s, "utf8"); this.u64(b.length); this.push(b); }
  concat(): Buffer { return Buffer.concat(this.parts, this.length); }
}

function writeValue(sink: ByteSink, v: GgufValue): void {
  sink.u32(v.type);
  switch (v.type) {
    case GgufType.UINT32: sink.u32(v.value); return;
    case GgufType.INT32: sink.i32(v.value); return;
    case GgufType.FLOAT32: sink.f32(v.value); return;
    case GgufType.BOOL: sink.push(Buffer.from([v.value ? 1 : 0])); return;
    case GgufType.STRING: sink.str(v.value); return;
    case GgufType.ARRAY:
      sink.u32(v.itemType);
      sink.u64(v.value.length);
      if (v.itemType === GgufType.STRING) for (const s of v.value as readonly string[]) sink.str(s);
      else if (v.itemType === GgufType.FLOAT32) for (let i = 0; i < v.value.length; i++) sink.f32((v.value as ArrayLike<number>)[i]!);
      else for (let i = 0; i < v.value.length; i++) sink.i32((v.value as ArrayLike<number>)[i]!);
      return;
  }
}

const elementCount = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);
/** Q8_0: blocks of 32 values, an f16 scale then 32 int8 (34 bytes) */
const Q8_BLOCK = 32;
const tensorBytes = (t: GgmlType, n: number): number => (t === GgmlType.F32 ? 4 * n : t === GgmlType.F16 ? 2 * n : (n / Q8_BLOCK) * 34);
const alignUp = (n: number): number => Math.ceil(n / ALIGNMENT) * ALIGNMENT;

/** IEEE 754 half from a float (round to nearest even is not needed for weights this coarse). */
function toHalf(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp <= 0) return sign; // flush tiny values to zero
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | (mant >>> 13);
}

/** Writes a GGUF file atomically (temp file, then rename). */
export async function writeGguf(path: string, metadata: Record<string, GgufValue>, tensors: readonly GgufTensor[]): Promise<void> {
  const head = new ByteSink();
  head.push(Buffer.from("GGUF", "ascii"));
  head.u32(3);
  head.u64(tensors.length);
  head.u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    head.str(key);
    writeValue(head, value);
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    head.str(t.name);
    head.u32(t.dims.length);
    for (const d of t.dims) head.u64(d);
    head.u32(t.type);
    head.u64(offset);
    offsets.push(offset);
    if (t.type === GgmlType.Q8_0 && t.dims[0]! % Q8_BLOCK !== 0) throw new Error(`${t.name}: Q8_0 rows must be a multiple of ${Q8_BLOCK}`);
    offset = alignUp(offset + tensorBytes(t.type, elementCount(t.dims)));
  }
  const header = head.concat();
  const padded = alignUp(header.length);

  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  const write = async (buf: Buffer): Promise<void> => {
    if (!out.write(buf)) await once(out, "drain");
  };
  await write(header);
  await write(Buffer.alloc(padded - header.length));
  let written = 0;
  for (let i = 0; i < tensors.length; i++) {
    const t = tensors[i]!;
    await write(Buffer.alloc(offsets[i]! - written));
    written = offsets[i]!;
    const n = elementCount(t.dims);
    let bytes: Buffer;
    if (t.fillRaw) {
      bytes = Buffer.alloc(tensorBytes(t.type, n));
      t.fillRaw(bytes);
      await write(bytes);
      written += bytes.length;
      continue;
    }
    if (!t.fill) throw new Error(`${t.name}: no data`);
    if (t.type === GgmlType.Q8_0) throw new Error(`${t.name}: Q8_0 needs fillRaw`);
    const data = new Float32Array(n);
    t.fill(data);
    if (t.type === GgmlType.F32) {
      bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    } else {
      const half = new Uint16Array(n);
      for (let j = 0; j < n; j++) half[j] = toHalf(data[j]!);
      bytes = Buffer.from(half.buffer);
    }
    await write(bytes);
    written += bytes.length;
  }
  out.end();
  await once(out, "finish");
  await rename(tmp, path);
}
