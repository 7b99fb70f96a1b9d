/**
 * Reads an ONNX file's `metadata_props` (ModelProto field 14) without loading the
 * graph: onnxruntime-node does not expose custom metadata, and sherpa-onnx models keep
 * their chunk sizes and context sizes there. Scans the top-level protobuf fields and
 * seeks past the others (the graph can be hundreds of MB).
 */
import { open, type FileHandle } from "node:fs/promises";

const METADATA_PROPS = 14;

class Reader {
  private buf = Buffer.alloc(0);
  private bufPos = 0;
  pos = 0;
  constructor(private readonly fh: FileHandle, readonly size: number) {}

  private async fill(n: number): Promise<boolean> {
    if (this.pos >= this.bufPos && this.pos + n <= this.bufPos + this.buf.length) return true;
    const len = Math.max(n, 64 * 1024);
    const b = Buffer.alloc(len);
    const { bytesRead } = await this.fh.read(b, 0, len, this.pos);
    this.buf = b.subarray(0, bytesRead);
    this.bufPos = this.pos;
    return bytesRead >= n;
  }

  async byte(): Promise<number> {
    if (!(await this.fill(1))) throw new Error("unexpected end of ONNX file");
    return this.buf[this.pos++ - this.bufPos]!;
  }

  async varint(): Promise<number> {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = await this.byte();
      result += (b & 0x7f) * mul;
      if (!(b & 0x80)) return result;
      mul *= 128;
    }
    throw new Error("malformed varint in ONNX file");
  }

  async bytes(n: number): Promise<Buffer> {
    if (!(await this.fill(n))) throw new Error("unexpected end of ONNX file");
    const start = this.pos - this.bufPos;
    this.pos += n;
    return Buffer.from(this.buf.subarray(start, start + n));
  }
}

/** key/value strings of a StringStringEntryProto (key = 1, value = 2) */
function parseEntry(b: Buffer): [string, string] {
  let i = 0;
  let key = "";
  let value = "";
  const varint = (): number => {
    let r = 0;
    let mul = 1;
    for (;;) {
      const x = b[i++]!;
      r += (x & 0x7f) * mul;
      if (!(x & 0x80)) return r;
      mul *= 128;
    }
  };
  while (i < b.length) {
    const tag = varint();
    if ((tag & 7) !== 2) break;
    const len = varint();
    const s = b.subarray(i, i + len).toString("utf8");
    i += len;
    if (tag >>> 3 === 1) key = s;
    else if (tag >>> 3 === 2) value = s;
  }
  return [key, value];
}

export async function readOnnxMetadata(path: string): Promise<Record<string, string>> {
  const fh = await open(path, "r");
  try {
    const { size } = await fh.stat();
    const r = new Reader(fh, size);
    const out: Record<string, string> = {};
    while (r.pos < size) {
      const tag = await r.varint();
      const field = Math.floor(tag / 8);
      const wire = tag & 7;
      if (wire === 0) await r.varint();
      else if (wire === 1) r.pos += 8;
      else if (wire === 5) r.pos += 4;
      else if (wire === 2) {
        const len = await r.varint();
        if (field === METADATA_PROPS) {
          const [k, v] = parseEntry(await r.bytes(len));
          out[k] = v;
        } else {
          r.pos += len;
        }
      } else {
        throw new Error(`unexpected protobuf wire type ${wire} in ${path}`);
      }
    }
    return out;
  } finally {
    await fh.close();
  }
}
