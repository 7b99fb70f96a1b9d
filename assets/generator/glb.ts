// Minimal GLB container read/write (glTF 2.0 binary: header + JSON chunk + BIN chunk).

const MAGIC = 0x46546c67; // "glTF"
const CHUNK_JSON = 0x4e4f534a; // "JSON"
const CHUNK_BIN = 0x004e4942; // "BIN\0"

export interface GlbParts {
  json: Record<string, unknown>;
  bin: Uint8Array;
}

export function readGlb(buf: ArrayBuffer | Uint8Array): GlbParts {
  const bytes = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new Error("not a GLB file");
  const total = dv.getUint32(8, true);
  let off = 12;
  let json: Record<string, unknown> | null = null;
  let bin = new Uint8Array(0);
  while (off < total) {
    const len = dv.getUint32(off, true);
    const type = dv.getUint32(off + 4, true);
    const data = bytes.subarray(off + 8, off + 8 + len);
    if (type === CHUNK_JSON) json = JSON.parse(new TextDecoder().decode(data)) as Record<string, unknown>;
    else if (type === CHUNK_BIN) bin = data.slice();
    off += 8 + len;
  }
  if (!json) throw new Error("GLB has no JSON chunk");
  return { json, bin };
}

export function writeGlb(json: Record<string, unknown>, bin: Uint8Array): Uint8Array {
  const enc = new TextEncoder().encode(JSON.stringify(json));
  // Chunks are 4-byte aligned: JSON padded with spaces, BIN with zeros.
  const jsonLen = (enc.length + 3) & ~3;
  const binLen = (bin.length + 3) & ~3;
  const total = 12 + 8 + jsonLen + (bin.length > 0 ? 8 + binLen : 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, 2, true);
  dv.setUint32(8, total, true);
  dv.setUint32(12, jsonLen, true);
  dv.setUint32(16, CHUNK_JSON, true);
  out.set(enc, 20);
  out.fill(0x20, 20 + enc.length, 20 + jsonLen);
  if (bin.length > 0) {
    const o = 20 + jsonLen;
    dv.setUint32(o, binLen, true);
    dv.setUint32(o + 4, CHUNK_BIN, true);
    out.set(bin, o + 8);
  }
  return out;
}
